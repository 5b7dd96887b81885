import fs from 'node:fs';
import path from 'node:path';
import { TargetSecrets } from '../../backup/targets/target-secrets';
import { metricsKeyDir } from '../../service/metrics-key-store';
import { parseEnvFile } from '../../stack/compose/interpolate';
import { stackRoot } from '../../stack/files/stack-files';
import type { StateDb } from '../../state/open-state';
import { SECRET_NAME } from './redact';

const readOr = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};
const listDir = (dir: string): string[] => {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
};

/** Generated secrets of every stack (secrets.env), and secret-named values of each version's .env. */
function stackSecrets(dataDir: string, db: StateDb): string[] {
  const stacks = (db.prepare('SELECT stack FROM stack_installs').all() as { stack: string }[]).map((r) => r.stack);
  const out: string[] = [];
  for (const stack of new Set([...stacks, ...listDir(path.join(dataDir, 'stacks'))])) {
    const root = stackRoot(dataDir, stack);
    out.push(...Object.values(parseEnvFile(readOr(path.join(root, 'secrets.env')) ?? '')));
    for (const v of listDir(path.join(root, 'versions'))) {
      const env = parseEnvFile(readOr(path.join(root, 'versions', v, '.env')) ?? '');
      out.push(...Object.entries(env).filter(([k]) => SECRET_NAME.test(k)).map(([, val]) => val));
    }
  }
  return out;
}

/** Repository passwords, S3 keys and SSH keys of every backup target folder (also of targets no longer in the table). */
function backupSecrets(dataDir: string): string[] {
  const dir = path.join(dataDir, 'backup', 'targets');
  return listDir(dir).flatMap((id) => {
    try {
      return TargetSecrets.forTarget(dataDir, id).values();
    } catch {
      return [];
    }
  });
}

function metricsKeys(dataDir: string): string[] {
  const dir = metricsKeyDir(dataDir);
  return listDir(dir).flatMap((f) => {
    try {
      const key = (JSON.parse(readOr(path.join(dir, f)) ?? '{}') as { key?: unknown }).key;
      return typeof key === 'string' ? [key] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Every secret value the manager holds, for the verbatim pass: whatever the shape rules
 * miss (a log line echoing a password) is still caught by value.
 */
export function knownSecrets(dataDir: string, db: StateDb): string[] {
  const token = readOr(path.join(dataDir, 'console-token'))?.trim();
  const values = [...stackSecrets(dataDir, db), ...backupSecrets(dataDir), ...metricsKeys(dataDir), ...(token ? [token] : [])];
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}
