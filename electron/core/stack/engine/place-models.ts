import fs from 'node:fs';
import { fail, type CoreError } from '../../contract';
import type { StackModel } from '../compose/stack-model';
import { LABEL, projectLabels, volumeName } from './compose-labels';
import { engine, type EngineAccess } from './engine-access';
import { logText } from './log-frames';
import { waitForContainer } from './wait-healthy';

/** The bundle's models go into the stack volume of this name (the service mounts it read-only). */
export const MODELS_VOLUME = 'models';

/**
 * Copies the model files an imported bundle carried into the stack's models volume, with a
 * one-off container of the image that mounts it (no network, the bundle folder read-only).
 * Model weights are not secret: they are made readable for the service's non-root user.
 * Returns how many files the volume holds afterwards; 0 when the bundle has no models.
 */
export async function placeModels(access: EngineAccess, project: string, model: StackModel, modelsDir: string | undefined, timeoutMs: number): Promise<number> {
  if (!modelsDir || !fs.existsSync(modelsDir) || fs.readdirSync(modelsDir).length === 0) return 0;
  if (!model.volumes.some((v) => v.name === MODELS_VOLUME)) return 0;
  const user = model.services.find((s) => s.mounts.some((m) => m.type === 'volume' && m.source === MODELS_VOLUME));
  if (!user) return 0;
  const container = await engine(access, () =>
    access.docker.createContainer({
      name: `${project}-models-copy-${Date.now()}`,
      Image: user.pinnedImageId ?? user.image,
      User: '0:0',
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['cp -a /bundle-models/. /models/ && chmod -R a+rX /models && find /models -type f | wc -l'],
      Labels: { ...projectLabels(project, model.file), [LABEL.service]: user.name, [LABEL.oneoff]: 'True' },
      HostConfig: { Binds: [`${modelsDir}:/bundle-models:ro`, `${volumeName(project, MODELS_VOLUME)}:/models`], NetworkMode: 'none' },
    }),
  );
  try {
    await engine(access, () => container.start());
    let failure: unknown = null;
    try {
      await waitForContainer(access, container.id, { service: user.name, timeoutMs, until: 'exited0', pollMs: 200 });
    } catch (e) {
      failure = e;
    }
    const out = logText(await engine(access, () => container.logs({ stdout: true, stderr: true, tail: 50 }))).trim();
    if (failure) {
      const exitCode = (failure as CoreError).error?.code === 'STACK_HEALTH_TIMEOUT' ? 'timeout' : ((await container.inspect()).State.ExitCode ?? '?');
      throw fail('STACK_MODELS_COPY_FAILED', { exitCode }, out.slice(-2000));
    }
    return Number(out.split('\n').at(-1)) || 0;
  } finally {
    await access.docker.getContainer(container.id).remove({ force: true }).catch(() => undefined);
  }
}
