import type Docker from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../../contract';
import { configHash } from '../compose/config-hash';
import type { ServiceSpec, StackModel } from '../compose/stack-model';
import { containerName, LABEL, networkName, PROJECT_NAME, projectLabels, volumeName } from './compose-labels';
import { containerCreateOptions } from './container-spec';
import { engine, inspectOrNull, statusOf, type EngineAccess } from './engine-access';
import { preflight } from './preflight';
import { waitForContainer } from './wait-healthy';

export interface ApplyRequest {
  project: string;
  model: StackModel;
  stackVersion: string;
  gpu: boolean;
  /** When set, each named volume is created as a bind of <volumeRoot>/<project>/<volume> (the installer's data directory). */
  volumeRoot?: string;
  /** How long one service may take to become healthy. */
  healthTimeoutMs: number;
  /** Only these services (and nothing else) are applied; default all. */
  only?: ReadonlySet<string>;
  log?: (line: string) => void;
  /** Before a service is touched (journal step boundary, progress). */
  beforeService?: (service: ServiceSpec, action: ServiceAction, index: number) => Promise<void> | void;
  signal?: AbortSignal;
}

export type ServiceAction = 'create' | 'replace' | 'start' | 'keep';

export interface ApplyResult {
  actions: { service: string; action: ServiceAction }[];
}

/** What a service's config hash is computed over: GPU reservations only count when GPUs are on. */
export const effectiveService = (s: ServiceSpec, gpu: boolean): ServiceSpec => (gpu ? s : { ...s, resources: { ...s.resources, gpus: [] } });

export async function serviceContainers(access: EngineAccess, project: string, service: string): Promise<Docker.ContainerInfo[]> {
  return engine(access, () =>
    access.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.project}=${project}`, `${LABEL.service}=${service}`, `${LABEL.oneoff}=False`] },
    }),
  );
}

async function removeContainer(access: EngineAccess, id: string): Promise<void> {
  await engine(access, async () => {
    try {
      await access.docker.getContainer(id).remove({ force: true, v: false });
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  });
}

async function ensureNetworks(access: EngineAccess, req: ApplyRequest): Promise<void> {
  for (const n of req.model.networks) {
    const name = networkName(req.project, n.name);
    const existing = await engine(access, () => inspectOrNull(() => access.docker.getNetwork(name).inspect()));
    if (existing) continue;
    await engine(access, () =>
      access.docker.createNetwork({
        Name: name,
        Driver: n.driver,
        Internal: n.internal,
        CheckDuplicate: true,
        Labels: { ...n.labels, ...projectLabels(req.project, req.model.file), [LABEL.network]: n.name },
      }),
    );
  }
}

/** Creates the stack's named volumes that do not exist yet (in the data directory when one was chosen). */
export async function ensureVolumes(access: EngineAccess, req: Pick<ApplyRequest, 'project' | 'model' | 'volumeRoot'>): Promise<void> {
  for (const v of req.model.volumes) {
    const name = volumeName(req.project, v.name);
    const existing = await engine(access, () => inspectOrNull(() => access.docker.getVolume(name).inspect()));
    if (existing) continue;
    const labels = { ...v.labels, ...projectLabels(req.project, req.model.file), [LABEL.volume]: v.name };
    if (!req.volumeRoot) {
      await engine(access, () => access.docker.createVolume({ Name: name, Labels: labels }));
      continue;
    }
    // Still a named volume (Compose labels, ownership checks and docker-compose see it), but its
    // data sits in the chosen folder, through the local driver's bind options.
    const device = path.join(req.volumeRoot, req.project, v.name);
    try {
      fs.mkdirSync(device, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw fail('STATE_UNAVAILABLE', { dir: device }, (e as Error).message);
    }
    await engine(access, () => access.docker.createVolume({ Name: name, Driver: 'local', DriverOpts: { type: 'none', o: 'bind', device }, Labels: labels }));
  }
}

/** Start, translating "port is already allocated" into the error that names the port. */
async function startContainer(access: EngineAccess, id: string, s: ServiceSpec): Promise<void> {
  try {
    await access.docker.getContainer(id).start();
  } catch (e) {
    const msg = (e as { json?: { message?: string }; message?: string }).json?.message ?? (e as Error).message ?? '';
    if (/port is already allocated|address already in use/i.test(msg)) {
      const p = s.ports[0];
      throw fail('STACK_PORT_IN_USE', { port: p?.hostPort ?? '?', ip: p?.hostIp ?? '?', service: s.name }, msg);
    }
    throw e;
  }
}

async function createContainer(access: EngineAccess, req: ApplyRequest, s: ServiceSpec, imageId: string, hash: string, name: string): Promise<string> {
  const opts = containerCreateOptions({ project: req.project, model: req.model, service: s, imageId, configHash: hash, stackVersion: req.stackVersion, gpu: req.gpu, name });
  const created = await engine(access, () => access.docker.createContainer(opts));
  // The create call takes one network; the others are joined before start, with the service alias.
  for (const extra of s.networks.slice(1)) {
    await engine(access, () => access.docker.getNetwork(networkName(req.project, extra)).connect({ Container: created.id, EndpointConfig: { Aliases: [s.name] } }));
  }
  return created.id;
}

/** What a dependant needs from this service before it may start. */
function readiness(model: StackModel, s: ServiceSpec): 'healthy' | 'running' | 'exited0' {
  const conditions = model.services.flatMap((x) => x.dependsOn.filter((d) => d.service === s.name).map((d) => d.condition));
  if (conditions.includes('service_completed_successfully')) return 'exited0';
  return 'healthy';
}

/**
 * Makes the engine match the model: networks and volumes, then each service in
 * dependency order, gated on health. A service whose config hash is unchanged is left
 * running, so applying the same version twice changes nothing. A changed service is
 * replaced by creating its successor first, then stopping the old one and starting the
 * new one, which keeps the gap short.
 */
export async function applyStack(access: EngineAccess, req: ApplyRequest): Promise<ApplyResult> {
  if (!PROJECT_NAME.test(req.project)) throw fail('INVALID_REQUEST', {}, `stack name "${req.project}": lower-case letters, digits, - and _`);
  const services = req.model.services.filter((s) => !req.only || req.only.has(s.name));
  const imageIds = await preflight(access, req.project, req.model, services);
  await ensureNetworks(access, req);
  await ensureVolumes(access, req);

  const actions: ApplyResult['actions'] = [];
  for (const [index, spec] of services.entries()) {
    const s = effectiveService(spec, req.gpu);
    const imageId = imageIds.get(s.name)!;
    const hash = configHash(s, imageId);
    const name = containerName(req.project, s.name);
    const existing = await serviceContainers(access, req.project, s.name);
    const match = existing.find((c) => c.Labels[LABEL.configHash] === hash);
    const until = readiness(req.model, s);
    let action: ServiceAction;
    if (match) {
      action = match.State === 'running' || (until === 'exited0' && /Exited \(0\)/.test(match.Status)) ? 'keep' : 'start';
    } else action = existing.length ? 'replace' : 'create';
    await req.beforeService?.(s, action, index);
    req.log?.(`${s.name}: ${action}`);

    let id: string;
    if (match) {
      id = match.Id;
      // Leftovers of an interrupted replacement (the other hash) go; the matching one stays.
      for (const c of existing) if (c.Id !== match.Id) await removeContainer(access, c.Id);
      if (match.Names[0] !== `/${name}`) await engine(access, () => access.docker.getContainer(id).rename({ name }));
      if (action === 'start') await engine(access, () => startContainer(access, id, s));
    } else {
      const tempName = existing.length ? `${name}-next` : name;
      const stale = await engine(access, () => inspectOrNull(() => access.docker.getContainer(tempName).inspect()));
      if (stale) await removeContainer(access, stale.Id);
      id = await createContainer(access, req, s, imageId, hash, tempName);
      const t0 = Date.now();
      for (const old of existing) {
        await engine(access, async () => {
          try {
            await access.docker.getContainer(old.Id).stop({ t: 8 });
          } catch (e) {
            if (statusOf(e) !== 304 && statusOf(e) !== 404) throw e;
          }
        });
      }
      try {
        await engine(access, () => startContainer(access, id, s));
      } catch (e) {
        // The successor could not start: put the predecessor back as it was.
        await removeContainer(access, id);
        for (const old of existing) if (old.State === 'running') await engine(access, () => access.docker.getContainer(old.Id).start()).catch(() => undefined);
        throw e;
      }
      const started = Date.now();
      for (const old of existing) await removeContainer(access, old.Id);
      if (tempName !== name) await engine(access, () => access.docker.getContainer(id).rename({ name }));
      // What the service's unavailability is made of, for operators and the benchmark.
      if (existing.length) req.log?.(`${s.name}: old stopped and new started in ${((started - t0) / 1000).toFixed(2)} s`);
    }
    if (action !== 'keep') await waitForContainer(access, id, { service: s.name, timeoutMs: req.healthTimeoutMs, until, signal: req.signal });
    actions.push({ service: s.name, action });
  }
  return { actions };
}
