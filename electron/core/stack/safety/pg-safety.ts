import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../../contract';
import type { StackModel } from '../compose/stack-model';
import { containerName } from '../engine/compose-labels';
import { copyFileInto, execIn } from '../engine/container-exec';
import type { EngineAccess } from '../engine/engine-access';

/**
 * The pre-upgrade safety backup until the backup engine takes it over: a custom-format
 * pg_dump of every database of the stack's PostgreSQL, taken and restored through the
 * Engine API inside the database container (peer auth as the postgres user: no password
 * on any command line), plus a copy of the version's config.
 */

/** The stack's PostgreSQL service: labelled ai.medai.role=database, or the one running a postgres image. */
export function databaseService(model: StackModel): string | null {
  const labelled = model.services.find((s) => s.labels['ai.medai.role'] === 'database');
  if (labelled) return labelled.name;
  return model.services.find((s) => /(^|\/)postgres(:|$)/.test(s.image.split('@')[0]!))?.name ?? null;
}

const LIST_DBS = ['psql', '-X', '-At', '-d', 'postgres', '-c', 'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1'];

export interface SafetyBackup {
  dir: string;
  databases: string[];
}

export async function dumpDatabases(access: EngineAccess, project: string, model: StackModel, dir: string, configDir: string): Promise<SafetyBackup> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The config copy first: it is what a restore of this version starts from.
  const configCopy = path.join(dir, 'config');
  fs.mkdirSync(configCopy, { recursive: true, mode: 0o700 });
  for (const f of ['compose.yaml', '.env']) if (fs.existsSync(path.join(configDir, f))) fs.copyFileSync(path.join(configDir, f), path.join(configCopy, f));
  fs.chmodSync(path.join(configCopy), 0o700);

  const service = databaseService(model);
  if (!service) return { dir, databases: [] };
  const id = containerName(project, service);
  const list = await execIn(access, id, LIST_DBS, { user: 'postgres' });
  if (list.exitCode !== 0) throw fail('STACK_BACKUP_FAILED', { reason: `cannot list databases (exit ${list.exitCode})` }, list.stderr);
  const databases = list.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  for (const db of databases) {
    const file = path.join(dir, `${db}.pgdump`);
    const out = fs.createWriteStream(file, { mode: 0o600 });
    const r = await execIn(access, id, ['pg_dump', '-Fc', '-d', db], { user: 'postgres', stdoutTo: out });
    if (r.exitCode !== 0) throw fail('STACK_BACKUP_FAILED', { reason: `pg_dump ${db} exited ${r.exitCode}` }, r.stderr);
    if (fs.statSync(file).size === 0) throw fail('STACK_BACKUP_FAILED', { reason: `pg_dump ${db} wrote nothing` });
  }
  fs.writeFileSync(path.join(dir, 'databases.json'), JSON.stringify({ service, databases }, null, 2), { mode: 0o600 });
  return { dir, databases };
}

/**
 * Puts every database back exactly as dumped: drop (forcing out connections), create,
 * pg_restore. Dropping first matters: tables a failed migration added must not survive.
 * The caller stops the services that use the database first.
 */
export async function restoreDatabases(access: EngineAccess, project: string, model: StackModel, dir: string): Promise<string[]> {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'databases.json'), 'utf8')) as { service: string; databases: string[] };
  const service = databaseService(model) ?? meta.service;
  const id = containerName(project, service);
  const restored: string[] = [];
  for (const db of meta.databases) {
    await copyFileInto(access, id, path.join(dir, `${db}.pgdump`), '/tmp', `medai-restore-${db}.pgdump`);
    const steps: string[][] = [
      ['dropdb', '--maintenance-db=template1', '--if-exists', '--force', db],
      ['createdb', '--maintenance-db=template1', db],
      ['pg_restore', '--no-owner', '--exit-on-error', '-d', db, `/tmp/medai-restore-${db}.pgdump`],
    ];
    for (const cmd of steps) {
      const r = await execIn(access, id, cmd, { user: 'postgres' });
      if (r.exitCode !== 0) throw fail('STACK_BACKUP_FAILED', { reason: `${cmd[0]} ${db} exited ${r.exitCode} during restore` }, r.stderr);
    }
    await execIn(access, id, ['rm', '-f', `/tmp/medai-restore-${db}.pgdump`], { user: 'root' });
    restored.push(db);
  }
  return restored;
}
