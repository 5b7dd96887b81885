import { fail } from '../../contract';
import type { ServiceSpec } from './stack-model';

/**
 * Orders services so each comes after everything it depends on (ties keep file order,
 * so the order is stable between runs). A cycle is refused with its members named.
 */
export function orderByDependencies(services: ServiceSpec[]): ServiceSpec[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting: string[] = [];
  const out: ServiceSpec[] = [];
  const visit = (s: ServiceSpec) => {
    if (done.has(s.name)) return;
    const at = visiting.indexOf(s.name);
    if (at >= 0) throw fail('STACK_DEPENDENCY_CYCLE', { cycle: [...visiting.slice(at), s.name].join(' → ') });
    visiting.push(s.name);
    for (const d of s.dependsOn) {
      const dep = byName.get(d.service);
      if (dep) visit(dep);
    }
    visiting.pop();
    done.add(s.name);
    out.push(s);
  };
  services.forEach(visit);
  return out;
}

/** Services that depend, directly or not, on `name` (what must restart when it is replaced). */
export function dependentsOf(services: ServiceSpec[], name: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of services) {
      if (out.has(s.name)) continue;
      if (s.dependsOn.some((d) => d.service === name || out.has(d.service))) {
        out.add(s.name);
        grew = true;
      }
    }
  }
  return out;
}
