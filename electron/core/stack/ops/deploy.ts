import fs from 'node:fs';
import { BundleManifest, fail, type StackConfig } from '../../contract';
import { BundleStore } from '../../bundle/bundle-store';
import type { StateDb } from '../../state/open-state';
import type { StackModel } from '../compose/stack-model';
import { LABEL } from '../engine/compose-labels';
import { engine, projectContainers } from '../engine/engine-access';
import { runMigration } from '../engine/one-off';
import { applyStack, ensureVolumes } from '../engine/reconcile';
import { MODELS_VOLUME, placeModels } from '../engine/place-models';
import { LABELS, type StackRun } from './stack-context';

/** The imported bundle's manifest (bundle capability's record), or the error that says to import it. */
export function importedManifest(db: StateDb, version: string): BundleManifest {
  const json = new BundleStore(db).manifestJson(version);
  if (!json) throw fail('STACK_BUNDLE_NOT_IMPORTED', { version });
  return BundleManifest.parse(JSON.parse(json));
}

export interface DeployOptions {
  prefix: string;
  project: string;
  model: StackModel;
  version: string;
  config: StackConfig;
  healthTimeoutMs: number;
  /** Services whose migration runs (new or changed ones); default: every service that has one. */
  migrateServices?: ReadonlySet<string>;
}

/**
 * Brings every service of `model` up in dependency order, one journaled step each, running
 * a service's migration just before its new version starts (its dependencies are healthy
 * by then). Services the model no longer has are removed last. Idempotent: re-running
 * after a crash keeps what already matches.
 */
export async function deployServices(run: StackRun, o: DeployOptions): Promise<void> {
  // The bundle's model files go into the models volume before any service reads it.
  const modelsDir = new BundleStore(run.deps.db).list().find((b) => b.bundleVersion === o.version)?.modelsDir;
  if (modelsDir && fs.existsSync(modelsDir) && fs.readdirSync(modelsDir).length > 0 && o.model.volumes.some((v) => v.name === MODELS_VOLUME)) {
    await run.step(`${o.prefix}.models`, LABELS.models, async () => {
      await ensureVolumes(run.access, { project: o.project, model: o.model, volumeRoot: o.config.dataDir });
      const files = await placeModels(run.access, o.project, o.model, modelsDir, o.healthTimeoutMs);
      run.log(`models volume holds ${files} file(s) from ${modelsDir}`);
    });
  }
  for (const s of o.model.services) {
    if (s.migrate && (!o.migrateServices || o.migrateServices.has(s.name))) {
      await run.step(`${o.prefix}.migrate.${s.name}`, LABELS.migrate(s.name), async () => {
        const out = await runMigration(run.access, o.project, o.model, s, o.version, o.healthTimeoutMs);
        if (out.trim()) run.log(out.trim().split('\n').slice(-20).join('\n'));
      });
    }
    await run.step(`${o.prefix}.service.${s.name}`, LABELS.service(s.name), () =>
      applyStack(run.access, {
        project: o.project,
        model: o.model,
        stackVersion: o.version,
        gpu: o.config.gpu,
        volumeRoot: o.config.dataDir,
        healthTimeoutMs: o.healthTimeoutMs,
        only: new Set([s.name]),
        log: run.log,
        signal: run.ctx.signal,
      }),
    );
  }
  const wanted = new Set(o.model.services.map((s) => s.name));
  const extra = (await projectContainers(run.access, o.project)).filter((c) => c.Labels[LABEL.oneoff] !== 'True' && !wanted.has(c.Labels[LABEL.service] ?? ''));
  for (const c of extra) {
    const service = c.Labels[LABEL.service] ?? c.Id;
    await run.step(`${o.prefix}.remove.${service}`, LABELS.remove(service), () => engine(run.access, () => run.access.docker.getContainer(c.Id).remove({ force: true })));
  }
}
