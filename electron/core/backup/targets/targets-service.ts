import os from 'node:os';
import { CoreError, fail, type BackupTarget, type RecoverySheet, type TargetCredentials, type TargetLocation } from '../../contract';
import type { BackupContext } from '../backup-context';
import { repositoryString } from './target-access';
import { checkLocalPlace, testConnection } from './connection-test';
import { TargetSecrets } from './target-secrets';

function requireCredentials(loc: TargetLocation, c: TargetCredentials, secrets: TargetSecrets): void {
  const stored = secrets.readCredentials();
  if (loc.kind === 'sftp' && !c.sshPrivateKey && !secrets.hasAny()) throw fail('BACKUP_TARGET_INVALID', { reason: 'SFTP needs an SSH private key' });
  if (loc.kind === 's3' && !((c.accessKeyId ?? stored.accessKeyId) && (c.secretAccessKey ?? stored.secretAccessKey))) {
    throw fail('BACKUP_TARGET_INVALID', { reason: 'S3 needs an access key id and a secret access key' });
  }
}

export function recoverySheetText(s: Omit<RecoverySheet, 'text'>, host: string): string {
  return [
    '医疗智能系统 备份仓库恢复单 / Medical AI stack — backup repository recovery sheet',
    '',
    `目标 Target:        ${s.targetId}`,
    `仓库 Repository:    ${s.repository}`,
    `仓库 ID:            ${s.repositoryId}`,
    `主机 Host:          ${host}`,
    `创建 Created:       ${s.createdAt}`,
    '',
    `仓库密码 Password:  ${s.password}`,
    '',
    '打印本页并锁在安全处。没有此密码，任何人（包括厂商）都无法读取备份：密码丢失 = 备份丢失。',
    'Print this page and lock it away. Without this password nobody, the vendor included, can read',
    'these backups: a lost password means lost backups. The repository opens with the stock',
    '`restic` tool too: RESTIC_REPOSITORY=<repository> restic snapshots (it asks for this password).',
  ].join('\n');
}

const view = (ctx: BackupContext, t: Omit<BackupTarget, 'hasCredentials'>): BackupTarget => ({ ...t, hasCredentials: ctx.secrets(t.id).hasAny() });

export function listTargets(ctx: BackupContext): BackupTarget[] {
  return ctx.targets.list().map((t) => view(ctx, t));
}

/**
 * Adds a target: stores its secrets (0600), then creates the repository with a generated
 * password (shown once, as the recovery sheet) or connects an existing one with the
 * password given. Any failure removes what this call wrote.
 */
export async function addTarget(
  ctx: BackupContext,
  req: { id: string; location: TargetLocation; credentials: TargetCredentials; repositoryPassword?: string },
): Promise<{ target: BackupTarget; recoverySheet: RecoverySheet | null }> {
  if (ctx.targets.find(req.id)) throw fail('BACKUP_TARGET_EXISTS', { target: req.id });
  const secrets = ctx.secrets(req.id);
  secrets.remove();
  requireCredentials(req.location, req.credentials, secrets);
  try {
    if (req.location.kind === 'local') checkLocalPlace(req.id, req.location);
    secrets.writeCredentials(req.credentials);
    const password = req.repositoryPassword ?? TargetSecrets.generatePassword();
    secrets.writePassword(password);
    const now = ctx.clock.now().toISOString();
    // The row goes in first so ctx.repo() can build the access; removed again on failure.
    ctx.targets.insert(req.id, req.location, null, now);
    const repo = ctx.repo(req.id);
    const probe = await testConnection(req.id, req.location, repo);
    if (!probe.ok && probe.error) throw new CoreError(probe.error);
    if (req.repositoryPassword) {
      if (probe.repository !== 'ready') throw fail('BACKUP_REPO_NOT_FOUND', { target: req.id });
      const config = JSON.parse((await repoConfig(repo)) || '{}') as { id?: string };
      ctx.targets.update(req.id, req.location, config.id ?? null, now);
      return { target: view(ctx, ctx.targets.get(req.id)), recoverySheet: null };
    }
    if (probe.repository === 'ready') throw fail('BACKUP_TARGET_INVALID', { reason: 'a repository already exists there; connect it with its password' });
    const { id: repositoryId } = await repo.init();
    ctx.targets.update(req.id, req.location, repositoryId, now);
    const host = ctx.options.host ?? os.hostname();
    const base = { targetId: req.id, repository: repositoryString(req.location), repositoryId, password, createdAt: now };
    return { target: view(ctx, ctx.targets.get(req.id)), recoverySheet: { ...base, text: recoverySheetText(base, host) } };
  } catch (e) {
    ctx.targets.remove(req.id);
    secrets.remove();
    throw e;
  }
}

async function repoConfig(repo: ReturnType<BackupContext['repo']>): Promise<string> {
  const exit = await repo.probe();
  return exit.code === 0 ? exit.stdout : '';
}

export async function updateTarget(
  ctx: BackupContext,
  req: { id: string; location?: TargetLocation; credentials?: TargetCredentials; repositoryPassword?: string },
): Promise<BackupTarget> {
  const current = ctx.targets.get(req.id);
  const location = req.location ?? current.location;
  const secrets = ctx.secrets(req.id);
  requireCredentials(location, req.credentials ?? {}, secrets);
  if (req.credentials) secrets.writeCredentials(req.credentials);
  if (req.repositoryPassword) secrets.writePassword(req.repositoryPassword);
  ctx.targets.update(req.id, location, current.repositoryId, ctx.clock.now().toISOString());
  return view(ctx, ctx.targets.get(req.id));
}

/** Forgets the target in the manager; the repository and its snapshots stay where they are. */
export function removeTarget(ctx: BackupContext, id: string): { removed: true } {
  ctx.targets.get(id);
  ctx.targets.remove(id);
  ctx.secrets(id).remove();
  return { removed: true };
}

export function testTarget(ctx: BackupContext, id: string) {
  const t = ctx.targets.get(id);
  return testConnection(id, t.location, ctx.repo(id));
}
