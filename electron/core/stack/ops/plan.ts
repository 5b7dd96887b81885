import type { StackPlan, StackServiceChange } from '../../contract';
import { configHash, stableJson } from '../compose/config-hash';
import type { ServiceSpec, StackModel } from '../compose/stack-model';
import { effectiveService } from '../engine/reconcile';

/** Names what differs between two versions of a service; environment values are never shown (they hold secrets). */
function diffKeys(a: ServiceSpec, b: ServiceSpec): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ServiceSpec>;
  for (const k of keys) {
    if (k === 'environment') {
      const names = new Set([...Object.keys(a.environment), ...Object.keys(b.environment)]);
      for (const n of names) if (a.environment[n] !== b.environment[n]) out.push(`environment.${n}`);
      continue;
    }
    if (stableJson(a[k]) !== stableJson(b[k])) out.push(k);
  }
  return out.sort();
}

/**
 * What an upgrade from `from` to `to` changes, service by service. Images are compared by
 * ID (a re-tagged image counts as changed), configuration by the same hash the reconciler
 * uses, so the plan shows exactly the services the upgrade will replace.
 */
export function planUpgrade(
  stack: string,
  from: { version: string; model: StackModel; imageIds: Map<string, string> },
  to: { version: string; model: StackModel; imageIds: Map<string, string>; releaseNotes: StackPlan['releaseNotes'] },
  gpu: boolean,
): StackPlan {
  const services: StackServiceChange[] = [];
  for (const b of to.model.services) {
    const a = from.model.services.find((s) => s.name === b.name);
    const idB = to.imageIds.get(b.name) ?? b.image;
    if (!a) {
      services.push({ service: b.name, change: 'add', imageFrom: null, imageTo: b.image, configDiff: [], migrates: !!b.migrate });
      continue;
    }
    const idA = from.imageIds.get(a.name) ?? a.image;
    const same = configHash(effectiveService(a, gpu), idA) === configHash(effectiveService(b, gpu), idB);
    const configDiff = diffKeys(effectiveService(a, gpu), effectiveService(b, gpu));
    if (idA !== idB && !configDiff.includes('image')) configDiff.push('image (ID)');
    services.push({ service: b.name, change: same ? 'unchanged' : 'update', imageFrom: a.image, imageTo: b.image, configDiff: same ? [] : configDiff, migrates: !same && !!b.migrate });
  }
  for (const a of from.model.services) {
    if (!to.model.services.some((s) => s.name === a.name)) services.push({ service: a.name, change: 'remove', imageFrom: a.image, imageTo: null, configDiff: [], migrates: false });
  }
  return { stack, fromVersion: from.version, toVersion: to.version, releaseNotes: to.releaseNotes, services, migrations: services.some((s) => s.migrates) };
}
