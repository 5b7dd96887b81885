import path from 'node:path';
import { fail } from '../../contract';
import { orderByDependencies } from './dependency-order';
import { interpolate, parseEnvFile } from './interpolate';
import type { DependencyCondition, GpuRequest, Healthcheck, Mount, NetworkSpec, PortBinding, Resources, ServiceSpec, StackModel, VolumeSpec } from './stack-model';
import { parseBytes, parseDurationNs } from './units';
import { lineOf, parseLocatedYaml, pathKey, type LocatedYaml } from './yaml-tree';

export interface ComposeInput {
  /** Absolute path of the compose file: relative binds and env_files resolve against its folder. */
  file: string;
  source: string;
  /** Values for `${VAR}`: the generated env file. */
  vars: Readonly<Record<string, string>>;
  /** Reads an env_file (injected so the parser stays pure in unit tests). */
  readFile?: (absPath: string) => string;
}

type P = (string | number)[];
type Obj = Record<string, unknown>;

// The subset the stack uses. Anything else is refused by name and line, never ignored:
// a silently dropped `privileged` or `cap_add` would run something other than what was reviewed.
const TOP_KEYS = new Set(['version', 'name', 'services', 'networks', 'volumes']);
const SERVICE_KEYS = new Set([
  'image', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'volumes', 'networks', 'depends_on',
  'healthcheck', 'restart', 'deploy', 'labels', 'ulimits', 'logging', 'shm_size',
]);
const NAME = /^[a-z0-9][a-z0-9_-]*$/;

class Reader {
  constructor(readonly doc: LocatedYaml) {}
  invalid(p: P, reason: string): never {
    throw fail('STACK_COMPOSE_INVALID', { file: this.doc.file, line: lineOf(this.doc, p), reason: `${pathKey(p)}: ${reason}` });
  }
  unsupported(p: P): never {
    throw fail('STACK_COMPOSE_UNSUPPORTED', { file: this.doc.file, line: lineOf(this.doc, p), key: pathKey(p) });
  }
  obj(v: unknown, p: P): Obj {
    if (v === null || v === undefined) return {};
    if (typeof v !== 'object' || Array.isArray(v)) this.invalid(p, 'expected a mapping');
    return v as Obj;
  }
  only(o: Obj, p: P, allowed: Set<string> | string[]): void {
    const set = allowed instanceof Set ? allowed : new Set(allowed);
    for (const k of Object.keys(o)) if (!set.has(k) && !k.startsWith('x-')) this.unsupported([...p, k]);
  }
  str(v: unknown, p: P): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.invalid(p, 'expected a string');
  }
  list(v: unknown, p: P): unknown[] {
    if (!Array.isArray(v)) this.invalid(p, 'expected a list');
    return v;
  }
  /** A command: a string (split like a shell would, without a shell) or a list. */
  argv(v: unknown, p: P): string[] {
    if (Array.isArray(v)) return v.map((x, i) => this.str(x, [...p, i]));
    const s = this.str(v, p);
    const parts = s.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
    return parts.map((x) => (/^(['"]).*\1$/.test(x) ? x.slice(1, -1) : x));
  }
  /** environment / labels: mapping or ["K=V"] list. */
  dict(v: unknown, p: P): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const s = this.str(item, [...p, i]);
        const eq = s.indexOf('=');
        if (eq <= 0) this.invalid([...p, i], 'expected KEY=VALUE');
        out[s.slice(0, eq)] = s.slice(eq + 1);
      });
      return out;
    }
    for (const [k, x] of Object.entries(this.obj(v, p))) out[k] = x === null ? '' : this.str(x, [...p, k]);
    return out;
  }
  int(v: unknown, p: P, min = 0): number {
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min) this.invalid(p, `expected an integer ≥ ${min}`);
    return n;
  }
  duration(v: unknown, p: P): number {
    const ns = parseDurationNs(v);
    if (ns === undefined) this.invalid(p, 'expected a duration such as 10s or 1m30s');
    return ns;
  }
  bytes(v: unknown, p: P): number {
    const b = parseBytes(v);
    if (b === undefined) this.invalid(p, 'expected a size such as 512m or 2g');
    return b;
  }
}

/** Interpolates every string value (keys stay literal, as in compose). */
function interpolateTree(doc: LocatedYaml, vars: Readonly<Record<string, string>>): unknown {
  const walk = (v: unknown, p: P): unknown => {
    if (typeof v === 'string') return interpolate(v, vars, { file: doc.file, line: lineOf(doc, p) });
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...p, i]));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...p, k])]));
    return v;
  };
  return walk(doc.value, []);
}

function parsePorts(r: Reader, v: unknown, p: P): PortBinding[] {
  return r.list(v, p).map((item, i) => {
    const ip = [...p, i];
    if (item && typeof item === 'object') {
      const o = r.obj(item, ip);
      r.only(o, ip, ['target', 'published', 'host_ip', 'protocol']);
      const protocol = o.protocol === undefined ? 'tcp' : r.str(o.protocol, [...ip, 'protocol']);
      if (protocol !== 'tcp' && protocol !== 'udp') r.invalid([...ip, 'protocol'], 'expected tcp or udp');
      if (o.published === undefined) r.invalid(ip, 'a published port is required (the stack never picks random ports)');
      return {
        hostIp: o.host_ip === undefined ? '0.0.0.0' : r.str(o.host_ip, [...ip, 'host_ip']),
        hostPort: r.int(o.published, [...ip, 'published'], 1),
        containerPort: r.int(o.target, [...ip, 'target'], 1),
        protocol,
      };
    }
    const s = r.str(item, ip);
    const m = /^(?:(\[[0-9a-fA-F:]+\]|[0-9.]+):)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(s);
    if (!m) r.invalid(ip, `"${s}" is not [IP:]HOST:CONTAINER[/tcp|udp] (ranges and random host ports are not supported)`);
    const hostPort = Number(m[2]);
    const containerPort = Number(m[3]);
    if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) r.invalid(ip, 'port out of range');
    return { hostIp: m[1]?.replace(/^\[|\]$/g, '') ?? '0.0.0.0', hostPort, containerPort, protocol: (m[4] as 'tcp' | 'udp' | undefined) ?? 'tcp' };
  });
}

function parseMounts(r: Reader, v: unknown, p: P, baseDir: string, declared: Set<string>): Mount[] {
  return r.list(v, p).map((item, i): Mount => {
    const ip = [...p, i];
    let type: string;
    let source: string;
    let target: string;
    let readOnly = false;
    if (item && typeof item === 'object') {
      const o = r.obj(item, ip);
      r.only(o, ip, ['type', 'source', 'target', 'read_only']);
      type = r.str(o.type, [...ip, 'type']);
      source = r.str(o.source, [...ip, 'source']);
      target = r.str(o.target, [...ip, 'target']);
      readOnly = o.read_only === true;
      if (type !== 'volume' && type !== 'bind') r.unsupported([...ip, 'type']);
    } else {
      const parts = r.str(item, ip).split(':');
      if (parts.length < 2 || parts.length > 3) r.invalid(ip, 'expected SOURCE:TARGET[:ro|rw] (anonymous volumes are not supported)');
      [source, target] = [parts[0]!, parts[1]!];
      if (parts[2] !== undefined) {
        if (parts[2] !== 'ro' && parts[2] !== 'rw') r.invalid(ip, `mount option "${parts[2]}" is not supported (ro or rw)`);
        readOnly = parts[2] === 'ro';
      }
      type = /^[./~]/.test(source) ? 'bind' : 'volume';
    }
    if (!target.startsWith('/')) r.invalid(ip, 'the target must be an absolute path in the container');
    if (type === 'volume') {
      if (!declared.has(source)) r.invalid(ip, `volume "${source}" is not declared under the top-level volumes`);
      return { type: 'volume', source, target, readOnly };
    }
    if (source.startsWith('~')) r.invalid(ip, 'a bind source may not start with ~ (the manager may run as another user)');
    return { type: 'bind', source: path.resolve(baseDir, source), target, readOnly };
  });
}

function parseDependsOn(r: Reader, v: unknown, p: P): ServiceSpec['dependsOn'] {
  if (Array.isArray(v)) return v.map((x, i) => ({ service: r.str(x, [...p, i]), condition: 'service_started' as const }));
  return Object.entries(r.obj(v, p)).map(([service, spec]) => {
    const o = r.obj(spec, [...p, service]);
    r.only(o, [...p, service], ['condition']);
    const condition = o.condition === undefined ? 'service_started' : r.str(o.condition, [...p, service, 'condition']);
    if (!['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition)) r.invalid([...p, service, 'condition'], `unknown condition "${condition}"`);
    return { service, condition: condition as DependencyCondition };
  });
}

function parseHealthcheck(r: Reader, v: unknown, p: P): Healthcheck | undefined {
  const o = r.obj(v, p);
  r.only(o, p, ['test', 'interval', 'timeout', 'retries', 'start_period', 'disable']);
  if (o.disable === true) return { test: ['NONE'] };
  if (o.test === undefined) r.invalid(p, 'a healthcheck needs a test');
  let test: string[];
  if (typeof o.test === 'string') test = ['CMD-SHELL', o.test];
  else {
    test = r.list(o.test, [...p, 'test']).map((x, i) => r.str(x, [...p, 'test', i]));
    if (!['CMD', 'CMD-SHELL', 'NONE'].includes(test[0] ?? '')) r.invalid([...p, 'test'], 'a test list starts with CMD, CMD-SHELL or NONE');
  }
  const hc: Healthcheck = { test };
  if (o.interval !== undefined) hc.intervalNs = r.duration(o.interval, [...p, 'interval']);
  if (o.timeout !== undefined) hc.timeoutNs = r.duration(o.timeout, [...p, 'timeout']);
  if (o.start_period !== undefined) hc.startPeriodNs = r.duration(o.start_period, [...p, 'start_period']);
  if (o.retries !== undefined) hc.retries = r.int(o.retries, [...p, 'retries'], 1);
  return hc;
}

function parseGpus(r: Reader, v: unknown, p: P): GpuRequest[] {
  return r.list(v, p).map((item, i) => {
    const ip = [...p, i];
    const o = r.obj(item, ip);
    r.only(o, ip, ['driver', 'count', 'device_ids', 'capabilities']);
    const capabilities = r.list(o.capabilities ?? [], [...ip, 'capabilities']).map((c, j) => r.str(c, [...ip, 'capabilities', j]));
    if (!capabilities.includes('gpu')) r.invalid([...ip, 'capabilities'], 'only GPU device reservations are supported (capabilities: [gpu])');
    const count = o.count === undefined || o.count === 'all' ? -1 : r.int(o.count, [...ip, 'count'], 1);
    const deviceIds = o.device_ids === undefined ? [] : r.list(o.device_ids, [...ip, 'device_ids']).map((d, j) => r.str(d, [...ip, 'device_ids', j]));
    if (deviceIds.length > 0 && o.count !== undefined) r.invalid(ip, 'count and device_ids are mutually exclusive');
    return { driver: o.driver === undefined ? 'nvidia' : r.str(o.driver, [...ip, 'driver']), count: deviceIds.length > 0 ? 0 : count, deviceIds, capabilities };
  });
}

function parseDeploy(r: Reader, v: unknown, p: P): Resources {
  const o = r.obj(v, p);
  r.only(o, p, ['resources']);
  const res = r.obj(o.resources, [...p, 'resources']);
  r.only(res, [...p, 'resources'], ['limits', 'reservations']);
  const out: Resources = { gpus: [] };
  const lp = [...p, 'resources', 'limits'];
  const limits = r.obj(res.limits, lp);
  r.only(limits, lp, ['cpus', 'memory', 'pids']);
  if (limits.cpus !== undefined) {
    const cpus = Number(limits.cpus);
    if (!Number.isFinite(cpus) || cpus <= 0) r.invalid([...lp, 'cpus'], 'expected a positive number of CPUs');
    out.nanoCpus = Math.round(cpus * 1e9);
  }
  if (limits.memory !== undefined) out.memoryBytes = r.bytes(limits.memory, [...lp, 'memory']);
  if (limits.pids !== undefined) out.pidsLimit = r.int(limits.pids, [...lp, 'pids'], 1);
  const rp = [...p, 'resources', 'reservations'];
  const reservations = r.obj(res.reservations, rp);
  r.only(reservations, rp, ['memory', 'devices']);
  if (reservations.memory !== undefined) out.memoryReservationBytes = r.bytes(reservations.memory, [...rp, 'memory']);
  if (reservations.devices !== undefined) out.gpus = parseGpus(r, reservations.devices, [...rp, 'devices']);
  return out;
}

function parseUlimits(r: Reader, v: unknown, p: P): ServiceSpec['ulimits'] {
  return Object.entries(r.obj(v, p)).map(([name, x]) => {
    if (typeof x === 'number' || typeof x === 'string') {
      const n = r.int(x, [...p, name], -1);
      return { name, soft: n, hard: n };
    }
    const o = r.obj(x, [...p, name]);
    r.only(o, [...p, name], ['soft', 'hard']);
    return { name, soft: r.int(o.soft, [...p, name, 'soft'], -1), hard: r.int(o.hard, [...p, name, 'hard'], -1) };
  });
}

function parseLogging(r: Reader, v: unknown, p: P): ServiceSpec['logging'] {
  const o = r.obj(v, p);
  r.only(o, p, ['driver', 'options']);
  const driver = o.driver === undefined ? 'json-file' : r.str(o.driver, [...p, 'driver']);
  if (!['json-file', 'local', 'none'].includes(driver)) r.invalid([...p, 'driver'], `log driver "${driver}" is not supported (json-file, local, none): logs must stay on the host`);
  return { driver, options: r.dict(o.options ?? {}, [...p, 'options']) };
}

function parseService(r: Reader, name: string, raw: unknown, ctx: { baseDir: string; volumes: Set<string>; networks: Set<string>; readFile: (f: string) => string }): ServiceSpec {
  const p: P = ['services', name];
  if (!NAME.test(name)) r.invalid(p, 'service names use lower-case letters, digits, - and _');
  const o = r.obj(raw, p);
  r.only(o, p, SERVICE_KEYS);
  if (o.image === undefined) r.invalid(p, 'every service needs an image (the stack never builds)');
  const environment: Record<string, string> = {};
  if (o.env_file !== undefined) {
    const files = Array.isArray(o.env_file) ? o.env_file : [o.env_file];
    files.forEach((f, i) => {
      const fp = Array.isArray(o.env_file) ? [...p, 'env_file', i] : [...p, 'env_file'];
      const abs = path.resolve(ctx.baseDir, r.str(f, fp));
      let content: string;
      try {
        content = ctx.readFile(abs);
      } catch {
        r.invalid(fp, `env_file ${abs} cannot be read`);
      }
      Object.assign(environment, parseEnvFile(content));
    });
  }
  if (o.environment !== undefined) Object.assign(environment, r.dict(o.environment, [...p, 'environment']));
  const restart = o.restart === undefined ? 'no' : r.str(o.restart, [...p, 'restart']);
  if (!['no', 'always', 'on-failure', 'unless-stopped'].includes(restart)) r.invalid([...p, 'restart'], `unknown restart policy "${restart}"`);
  let networks: string[];
  if (o.networks === undefined) networks = ['default'];
  else if (Array.isArray(o.networks)) networks = o.networks.map((n, i) => r.str(n, [...p, 'networks', i]));
  else {
    const nets = r.obj(o.networks, [...p, 'networks']);
    for (const [n, spec] of Object.entries(nets)) if (spec !== null) r.unsupported([...p, 'networks', n, Object.keys(r.obj(spec, [...p, 'networks', n]))[0] ?? '']);
    networks = Object.keys(nets);
  }
  networks.forEach((n, i) => {
    if (!ctx.networks.has(n)) r.invalid([...p, 'networks', i], `network "${n}" is not declared under the top-level networks`);
  });
  const spec: ServiceSpec = {
    name,
    image: r.str(o.image, [...p, 'image']),
    environment,
    ports: o.ports === undefined ? [] : parsePorts(r, o.ports, [...p, 'ports']),
    mounts: o.volumes === undefined ? [] : parseMounts(r, o.volumes, [...p, 'volumes'], ctx.baseDir, ctx.volumes),
    networks,
    dependsOn: o.depends_on === undefined ? [] : parseDependsOn(r, o.depends_on, [...p, 'depends_on']),
    restart: restart as ServiceSpec['restart'],
    resources: o.deploy === undefined ? { gpus: [] } : parseDeploy(r, o.deploy, [...p, 'deploy']),
    labels: o.labels === undefined ? {} : r.dict(o.labels, [...p, 'labels']),
    ulimits: o.ulimits === undefined ? [] : parseUlimits(r, o.ulimits, [...p, 'ulimits']),
  };
  // The bundle builder pins each service to the image ID it packed; the reconciler checks it.
  if (typeof o['x-medai-image-id'] === 'string') spec.pinnedImageId = o['x-medai-image-id'];
  if (o.shm_size !== undefined) spec.shmSizeBytes = r.bytes(o.shm_size, [...p, 'shm_size']);
  if (o['x-medai-readiness'] !== undefined) {
    const rp = [...p, 'x-medai-readiness'];
    const ro = r.obj(o['x-medai-readiness'], rp);
    r.only(ro, rp, ['path', 'port']);
    spec.readiness = { path: r.str(ro.path, [...rp, 'path']), port: r.int(ro.port, [...rp, 'port'], 1) };
  }
  if (o['x-medai-migrate'] !== undefined) {
    const mp = [...p, 'x-medai-migrate'];
    const mo = r.obj(o['x-medai-migrate'], mp);
    r.only(mo, mp, ['command']);
    spec.migrate = { command: r.argv(mo.command, [...mp, 'command']) };
  }
  if (o.command !== undefined) spec.command = r.argv(o.command, [...p, 'command']);
  if (o.entrypoint !== undefined) spec.entrypoint = r.argv(o.entrypoint, [...p, 'entrypoint']);
  if (o.healthcheck !== undefined) spec.healthcheck = parseHealthcheck(r, o.healthcheck, [...p, 'healthcheck']);
  if (o.logging !== undefined) spec.logging = parseLogging(r, o.logging, [...p, 'logging']);
  for (const label of Object.keys(spec.labels)) {
    if (label.startsWith('com.docker.compose.')) r.invalid([...p, 'labels'], `label ${label} is reserved: the manager sets the Compose labels itself`);
  }
  return spec;
}

/**
 * Reads a compose file of the supported subset into the normalized stack model. Refuses
 * anything outside the subset with the key path and line; nothing is created before this
 * succeeds, so a refusal never leaves anything half-made.
 */
export function parseCompose(input: ComposeInput): StackModel {
  const located = parseLocatedYaml(input.source, input.file);
  const r = new Reader(located);
  const root = r.obj(interpolateTree(located, input.vars), []);
  r.only(root, [], TOP_KEYS);
  const baseDir = path.dirname(input.file);

  const networks: NetworkSpec[] = Object.entries(r.obj(root.networks, ['networks'])).map(([name, raw]) => {
    const p = ['networks', name];
    if (!NAME.test(name)) r.invalid(p, 'network names use lower-case letters, digits, - and _');
    const o = r.obj(raw, p);
    r.only(o, p, ['driver', 'internal', 'labels']);
    const driver = o.driver === undefined ? 'bridge' : r.str(o.driver, [...p, 'driver']);
    if (driver !== 'bridge') r.invalid([...p, 'driver'], `network driver "${driver}" is not supported (bridge)`);
    return { name, driver, internal: o.internal === true, labels: o.labels === undefined ? {} : r.dict(o.labels, [...p, 'labels']) };
  });
  if (!networks.some((n) => n.name === 'default')) networks.unshift({ name: 'default', driver: 'bridge', internal: false, labels: {} });

  const volumes: VolumeSpec[] = Object.entries(r.obj(root.volumes, ['volumes'])).map(([name, raw]) => {
    const p = ['volumes', name];
    if (!NAME.test(name)) r.invalid(p, 'volume names use lower-case letters, digits, - and _');
    const o = r.obj(raw, p);
    r.only(o, p, ['labels']);
    return { name, labels: o.labels === undefined ? {} : r.dict(o.labels, [...p, 'labels']) };
  });

  const rawServices = r.obj(root.services, ['services']);
  if (Object.keys(rawServices).length === 0) r.invalid(['services'], 'the stack has no services');
  const ctx = {
    baseDir,
    volumes: new Set(volumes.map((v) => v.name)),
    networks: new Set(networks.map((n) => n.name)),
    readFile: input.readFile ?? ((f: string) => {
      throw fail('STACK_COMPOSE_INVALID', { file: input.file, line: 1, reason: `env_file ${f} cannot be read` });
    }),
  };
  const services = Object.entries(rawServices).map(([name, raw]) => parseService(r, name, raw, ctx));
  const names = new Set(services.map((s) => s.name));
  for (const s of services) {
    s.dependsOn.forEach((d, i) => {
      if (!names.has(d.service)) r.invalid(['services', s.name, 'depends_on', i], `depends on unknown service "${d.service}"`);
    });
  }
  // Unused top-level networks would still be created; only the default one is implicit.
  const usedNetworks = new Set(services.flatMap((s) => s.networks));
  const name = root.name === undefined ? undefined : r.str(root.name, ['name']);
  return { file: input.file, ...(name ? { name } : {}), services: orderByDependencies(services), networks: networks.filter((n) => usedNetworks.has(n.name)), volumes };
}
