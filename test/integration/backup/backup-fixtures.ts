import Docker from 'dockerode';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../electron/core/clock';
import { BackupContext } from '../../../electron/core/backup/backup-context';
import { CoreError, type ApiError } from '../../../electron/core/contract';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';
import { REPO_ROOT } from '../../support/built-cli';

export const RESTIC = path.join(REPO_ROOT, 'resources', 'bin', 'restic');

/** The restic the app ships, built once (cached) by the same script a release uses. */
export function ensureRestic(): string {
  const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'build-restic.sh')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-restic.sh failed: ${r.stderr}`);
  return RESTIC;
}

/** Starts (or reuses) the real SFTP peer and returns its settings. */
export function ensureSftp(): { host: string; port: number; user: string; key: string; base: string } {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'test', 'env', 'backup-sftp.sh')], { encoding: 'utf8' });
  const env = Object.fromEntries(out.trim().split('\n').map((l) => l.split('=') as [string, string]));
  return { host: env.SFTP_HOST!, port: Number(env.SFTP_PORT), user: env.SFTP_USER!, key: env.SFTP_KEY!, base: env.SFTP_BASE! };
}

/** Starts (or reuses) the real MinIO peer (built from source) and returns its settings. */
export function ensureMinio(): { endpoint: string; accessKey: string; secretKey: string; bucketPrefix: string } {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'test', 'env', 'backup-minio.sh')], { encoding: 'utf8', timeout: 1_800_000 });
  const env = Object.fromEntries(out.trim().split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { endpoint: env.MINIO_ENDPOINT!, accessKey: env.MINIO_ACCESS_KEY!, secretKey: env.MINIO_SECRET_KEY!, bucketPrefix: 'medai-backuptest' };
}

export class FakeClock implements Clock {
  constructor(public t: Date) {}
  now(): Date {
    return new Date(this.t);
  }
}

/** A data dir with the real state database and a BackupContext on the real restic. */
export function makeBackupEnv(prefix = 'backuptest', clock: Clock = { now: () => new Date() }) {
  const tmp = makeTempDir(prefix);
  const dataDir = path.join(tmp.dir, 'data');
  const db = openState(dataDir);
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const ctx = new BackupContext(db, dataDir, clock, docker, { resticBinary: RESTIC, managerVersion: '0.1.0', host: 'medai-backuptest-host' });
  return {
    ctx,
    db,
    dataDir,
    dir: tmp.dir,
    docker,
    cleanup() {
      db.close();
      tmp.cleanup();
    },
  };
}

export const readSecretMode = (p: string): number => fs.statSync(p).mode & 0o777;

/** The coded error a core call was refused with; anything else fails the test. */
export const errorOf = async (p: Promise<unknown>): Promise<ApiError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof CoreError) return e.error;
    throw e;
  }
  throw new Error('expected a CoreError');
};
