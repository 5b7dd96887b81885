import fs from 'node:fs';
import path from 'node:path';
import { fail, type BackupComponentName } from '../../contract';
import type { ComponentBackup } from './component';
import { streamIntoRepo } from './stream-into-repo';

/** A folder on the host (stack config, models) as restic stores it: every file, deduped. */
export const backupFolder =
  (name: Extract<BackupComponentName, 'config' | 'models'>, dir: () => string | null): ComponentBackup =>
  async (env) => {
    const folder = dir();
    if (!folder || !fs.existsSync(folder)) throw fail('BACKUP_COMPONENT_FAILED', { component: name, reason: `folder ${folder ?? '(not configured)'} does not exist` });
    const s = await env.repo.backupPaths([folder], { ...env.common(name), onProgress: (p) => env.progress(p) });
    env.added(s.dataAddedPacked);
    return { name, items: [{ key: name, snapshotId: s.snapshotId, file: folder, bytes: s.totalBytesProcessed, sha256: null }] };
  };

/**
 * The manager's own SQLite state, copied with SQLite's online backup API (consistent while
 * the app keeps writing), then streamed in like a dump.
 */
export const backupManagerState: ComponentBackup = async (env) => {
  const tmpDir = path.join(env.dataDir, 'backup', 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const copy = path.join(tmpDir, `state-${process.pid}-${Date.now()}.sqlite`);
  try {
    await env.db.backup(copy);
    fs.chmodSync(copy, 0o600);
    const source = fs.createReadStream(copy);
    const ended = new Promise<number>((resolve) => {
      source.on('close', () => resolve(0));
      source.on('error', () => resolve(1));
    });
    const r = await streamIntoRepo(env.repo, 'manager/state.sqlite', source, ended, env.common('manager'), {
      component: 'manager',
      stderr: () => '',
      abort: () => source.destroy(),
    });
    env.added(r.dataAdded);
    return { name: 'manager', items: [{ key: 'state.sqlite', snapshotId: r.snapshotId, file: '/manager/state.sqlite', bytes: r.bytes, sha256: r.sha256 }] };
  } finally {
    fs.rmSync(copy, { force: true });
  }
};
