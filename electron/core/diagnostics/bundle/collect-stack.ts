import fs from 'node:fs';
import path from 'node:path';
import type { StateDb } from '../../state/open-state';
import { LABEL } from '../../stack/engine/compose-labels';
import { engine, projectContainers, type EngineAccess } from '../../stack/engine/engine-access';
import { demuxLogs } from '../../stack/engine/log-frames';
import { stackStatus } from '../../stack/ops/observe';
import { StackStore } from '../../stack/state/stack-store';
import type { BundlePart } from './bundle-part';

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** Stack status (services, health, restarts) and each container's engine state, without its Config.Env. */
export async function collectStackState(access: EngineAccess, db: StateDb, stack: string): Promise<BundlePart[]> {
  const parts: BundlePart[] = [{ path: 'stack/status.json', json: await stackStatus(access, db, stack) }];
  for (const c of await projectContainers(access, stack)) {
    const info = await engine(access, () => access.docker.getContainer(c.Id).inspect());
    parts.push({
      path: `stack/containers/${safeName(c.Labels[LABEL.service] ?? c.Id)}${c.Labels[LABEL.oneoff] === 'True' ? `-oneoff-${c.Id.slice(0, 12)}` : ''}.json`,
      // Env is left out on purpose: it is where compose put every secret.
      json: { id: info.Id, name: info.Name, image: info.Config.Image, created: info.Created, state: info.State, restartCount: info.RestartCount, restartPolicy: info.HostConfig.RestartPolicy, mounts: info.Mounts, labels: info.Config.Labels },
    });
  }
  return parts;
}

/** The last `tail` lines of every container of the stack, one file per service, with engine timestamps. */
export async function collectStackLogs(access: EngineAccess, stack: string, tail: number): Promise<BundlePart[]> {
  const parts: BundlePart[] = [];
  for (const c of await projectContainers(access, stack)) {
    if (c.Labels[LABEL.oneoff] === 'True') continue;
    const buf = (await engine(access, () => access.docker.getContainer(c.Id).logs({ stdout: true, stderr: true, timestamps: true, tail, follow: false }))) as unknown as Buffer;
    const text = demuxLogs(buf)
      .map((f) => f.text)
      .join('');
    parts.push({ path: `stack/logs/${safeName(c.Labels[LABEL.service] ?? c.Id)}.log`, text });
  }
  return parts;
}

/** The compose file and .env the installed version runs with (redacted later, like every part). */
export function collectStackFiles(db: StateDb, stack: string): BundlePart[] {
  const install = new StackStore(db).install(stack);
  if (install?.state !== 'installed' || !install.currentVersion) return [];
  const row = new StackStore(db).version(stack, install.currentVersion);
  if (!row) return [];
  const parts: BundlePart[] = [{ path: 'stack/install.json', json: { stack, version: install.currentVersion, config: install.config, installedAt: install.installedAt, updatedAt: install.updatedAt } }];
  for (const [file, name] of [
    ['compose.yaml', 'compose.yaml'],
    ['.env', 'env'],
  ] as const) {
    const full = path.join(row.stackDir, file);
    if (fs.existsSync(full)) parts.push({ path: `stack/${name}`, text: fs.readFileSync(full, 'utf8') });
  }
  return parts;
}
