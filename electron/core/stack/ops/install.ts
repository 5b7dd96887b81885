import fs from 'node:fs';
import { fail, type OperationResult, type ParsedRequest } from '../../contract';
import { CheckRunStore } from '../../host/check-run-store';
import { realHostProbes } from '../../host/host-probes';
import { readRequirements } from '../../host/requirements';
import { runHostCheck } from '../../host/run-host-check';
import type { StackModel } from '../compose/stack-model';
import { volumeName } from '../engine/compose-labels';
import { engine, inspectOrNull } from '../engine/engine-access';
import { preflight } from '../engine/preflight';
import { downProject } from '../engine/project-lifecycle';
import { loadVersionModel, resolveEnv, versionDir, writeVersionFiles } from '../files/stack-files';
import { deployServices, importedManifest } from './deploy';
import { LABELS, type StackRun } from './stack-context';
import { verifyEndpoints } from './verify-endpoints';

type Req = ParsedRequest<'stack.install'>;
type Result = OperationResult<'stack.install'>;

/** Runs the host preflight; a failure stops the install unless a reason to override is given (and journaled). */
async function hostGate(run: StackRun, req: Req): Promise<Result['hostCheck']> {
  const { deps } = run;
  const report = await runHostCheck({
    request: { ports: [req.config.httpPort] },
    clock: deps.clock,
    operationId: run.ctx.id,
    collect: { docker: deps.docker, dockerEndpoint: deps.dockerEndpoint, dataDir: deps.dataDir, probes: deps.hostProbes ?? realHostProbes(), requirements: readRequirements(deps.db, [req.config.httpPort]) },
  });
  new CheckRunStore(deps.db).save(report);
  const failed = report.checks.filter((c) => c.result === 'fail' || c.result === 'error');
  if (failed.length && !req.overrideHostCheck) {
    throw fail('STACK_HOST_CHECK_FAILED', { failures: failed.map((c) => c.id).join(', ') }, `host check run ${report.runId}`);
  }
  if (failed.length) run.log(`host check failed (${failed.map((c) => c.id).join(', ')}); overridden: ${req.overrideHostCheck}`);
  return { worst: report.worst, runId: report.runId, overridden: failed.length ? (req.overrideHostCheck ?? null) : null };
}

/** Where each named volume keeps its data on the host (for the summary). */
async function dataLocations(run: StackRun, stack: string, model: StackModel): Promise<Result['data']> {
  const out: Result['data'] = [];
  for (const v of model.volumes) {
    const info = await engine(run.access, () => inspectOrNull(() => run.access.docker.getVolume(volumeName(stack, v.name)).inspect()));
    // A volume bound into the chosen data directory names that folder; Docker's own path would mislead.
    if (info) out.push({ volume: info.Name, mountpoint: (info.Options as Record<string, string> | null)?.device ?? info.Mountpoint });
  }
  return out;
}

/**
 * Install: host check → files (secrets generated, 0600) → preflight (nothing created on a
 * refusal) → each service in dependency order, its migration first, health-gated →
 * /health and /ready through the published port → record. `resume` re-runs it after a
 * crash: every step is idempotent.
 */
export async function installStack(run: StackRun, req: Req, mode: 'fresh' | 'resume' = 'fresh'): Promise<Result> {
  const t0 = Date.now();
  const { deps, store } = run;
  const existing = store.install(req.stack);
  if (mode === 'fresh' && existing?.state === 'installed') throw fail('STACK_ALREADY_INSTALLED', { stack: req.stack, version: existing.currentVersion ?? '?' });
  const manifest = importedManifest(deps.db, req.bundleVersion);
  const version = req.bundleVersion;
  const dir = versionDir(deps.dataDir, req.stack, version);
  const healthTimeoutMs = req.healthTimeoutS * 1000;

  // On resume the check already ran (or was overridden) before the crash; our own containers now hold the port.
  const hostCheck = mode === 'resume' ? { worst: 'skipped', runId: null, overridden: null } : await run.step('install.host-check', LABELS.hostCheck, () => hostGate(run, req));
  const model = await run.step('install.files', LABELS.files, async () => {
    const env = resolveEnv(deps.dataDir, req.stack, manifest.envSchema, req.config);
    return writeVersionFiles(dir, manifest.compose.content, env);
  });
  // Which volumes existed before: a rolled-back install removes only the ones it made.
  const preexisting: string[] = [];
  for (const v of model.volumes) {
    if (await engine(run.access, () => inspectOrNull(() => run.access.docker.getVolume(volumeName(req.stack, v.name)).inspect()))) preexisting.push(v.name);
  }
  await run.step('install.preflight', LABELS.preflight, () => preflight(run.access, req.stack, model), { preexistingVolumes: preexisting });
  try {
    await deployServices(run, { prefix: 'install', project: req.stack, model, version, config: req.config, healthTimeoutMs });
    const urls = await run.step('install.verify', LABELS.verify, () => verifyEndpoints(model, healthTimeoutMs, run.log));
    await run.step('install.record', LABELS.record, async () => {
      const at = deps.clock.now().toISOString();
      store.recordVersion(req.stack, version, dir, at);
      store.setCurrent(req.stack, version, req.config, at);
    });
    const services = [];
    for (const s of model.services) {
      const info = await engine(run.access, () => run.access.docker.getImage(s.pinnedImageId ?? s.image).inspect());
      services.push({ service: s.name, image: s.image, imageId: info.Id });
    }
    return { stack: req.stack, version, urls, services, data: await dataLocations(run, req.stack, model), stackDir: dir, hostCheck, durationMs: Date.now() - t0 };
  } catch (e) {
    // A failed install leaves nothing half-made: containers and networks go, and the
    // volumes this install created (never ones that held data before).
    await undoInstall(run, req.stack, dir, preexisting);
    throw e;
  }
}

export async function undoInstall(run: StackRun, stack: string, dir: string, preexistingVolumes: string[]): Promise<void> {
  await downProject(run.access, stack, { deleteVolumes: false });
  let model: StackModel | null = null;
  try {
    model = loadVersionModel(dir);
  } catch {
    model = null;
  }
  for (const v of model?.volumes ?? []) {
    if (preexistingVolumes.includes(v.name)) continue;
    await engine(run.access, () => run.access.docker.getVolume(volumeName(stack, v.name)).remove()).catch(() => undefined);
  }
  if (run.store.install(stack)?.state !== 'installed') fs.rmSync(dir, { recursive: true, force: true });
}
