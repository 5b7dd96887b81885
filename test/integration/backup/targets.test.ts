import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTarget, removeTarget, testTarget, updateTarget } from '../../../electron/core/backup/targets/targets-service';
import { ensureMinio, ensureRestic, ensureSftp, errorOf, makeBackupEnv, readSecretMode } from './backup-fixtures';

const payload = Buffer.from(Array.from({ length: 20000 }, (_, i) => `row ${i} patient-record-${i * 7}\n`).join(''));

describe('backup targets on the real restic', () => {
  let env: ReturnType<typeof makeBackupEnv>;
  let sftp: ReturnType<typeof ensureSftp>;
  let minio: ReturnType<typeof ensureMinio>;
  beforeAll(() => {
    ensureRestic();
    sftp = ensureSftp();
    minio = ensureMinio();
    env = makeBackupEnv('backuptest-targets');
  });
  afterAll(() => env.cleanup());

  it('creates a local repository with a generated password shown once, kept 0600', async () => {
    const repoPath = path.join(env.dir, 'usb', 'medai-backups');
    fs.mkdirSync(path.dirname(repoPath));
    const { target, recoverySheet } = await addTarget(env.ctx, { id: 'usb', location: { kind: 'local', path: repoPath }, credentials: {} });
    expect(target.repositoryId).toMatch(/^[0-9a-f]{64}$/);
    expect(recoverySheet?.password).toHaveLength(43);
    expect(recoverySheet?.text).toContain(recoverySheet!.password);
    expect(recoverySheet?.text).toContain('a lost password means lost backups');
    const secrets = env.ctx.secrets('usb');
    expect(readSecretMode(secrets.passwordFile)).toBe(0o600);
    expect(readSecretMode(secrets.dir)).toBe(0o700);
    // The stock tool opens it with that password: the format is restic's, not ours.
    expect(fs.existsSync(path.join(repoPath, 'config'))).toBe(true);
    expect(await testTarget(env.ctx, 'usb')).toMatchObject({ ok: true, repository: 'ready', error: null });
    const sum = await env.ctx.repo('usb').backupStream('data.txt', Readable.from([payload]), { tags: ['t'], host: 'h' });
    expect(sum.snapshotId).toMatch(/^[0-9a-f]{64}$/);
    expect((await env.ctx.repo('usb').readFile(sum.snapshotId, '/data.txt')).equals(payload)).toBe(true);
  });

  it('refuses a local target whose disk is not mounted, and leaves nothing behind', async () => {
    const e = await errorOf(addTarget(env.ctx, { id: 'gone', location: { kind: 'local', path: '/mnt/medai-backuptest-not-mounted/repo' }, credentials: {} }));
    expect(e.code).toBe('BACKUP_TARGET_UNREACHABLE');
    expect(env.ctx.targets.find('gone')).toBeUndefined();
    expect(fs.existsSync(env.ctx.secrets('gone').dir)).toBe(false);
  });

  it('reports a wrong password clearly and leaves the repository readable with the right one', async () => {
    const right = env.ctx.secrets('usb').readPassword()!;
    await updateTarget(env.ctx, { id: 'usb', repositoryPassword: 'not-the-password-123' });
    const t = await testTarget(env.ctx, 'usb');
    expect(t.ok).toBe(false);
    expect(t.error?.code).toBe('BACKUP_WRONG_PASSWORD');
    expect((await errorOf(env.ctx.repo('usb').snapshots())).code).toBe('BACKUP_WRONG_PASSWORD');
    await updateTarget(env.ctx, { id: 'usb', repositoryPassword: right });
    expect(await env.ctx.repo('usb').snapshots()).toHaveLength(1);
  });

  it('connects an existing repository with its password instead of creating one', async () => {
    const right = env.ctx.secrets('usb').readPassword()!;
    const loc = env.ctx.targets.get('usb').location;
    const { target, recoverySheet } = await addTarget(env.ctx, { id: 'usb-again', location: loc, credentials: {}, repositoryPassword: right });
    expect(recoverySheet).toBeNull();
    expect(target.repositoryId).toBe(env.ctx.targets.get('usb').repositoryId);
    removeTarget(env.ctx, 'usb-again');
    // Removing a target forgets it in the manager only: the repository stays.
    expect(await env.ctx.repo('usb').snapshots()).toHaveLength(1);
  });

  it('backs up and reads back over SFTP with the target key, pinning the host key', async () => {
    const repoPath = `${sftp.base}/targets-${Date.now()}`;
    const { recoverySheet } = await addTarget(env.ctx, {
      id: 'nas',
      location: { kind: 'sftp', host: sftp.host, port: sftp.port, user: sftp.user, path: repoPath },
      credentials: { sshPrivateKey: fs.readFileSync(sftp.key, 'utf8') },
    });
    expect(recoverySheet?.repository).toBe(`sftp:${sftp.user}@${sftp.host}:${repoPath}`);
    expect(readSecretMode(env.ctx.secrets('nas').sshKeyFile)).toBe(0o600);
    expect(fs.readFileSync(env.ctx.secrets('nas').knownHostsFile, 'utf8')).toContain('ssh-ed25519');
    const sum = await env.ctx.repo('nas').backupStream('data.txt', Readable.from([payload]), { tags: ['t'], host: 'h' });
    expect((await env.ctx.repo('nas').readFile(sum.snapshotId, '/data.txt')).equals(payload)).toBe(true);
    expect(await testTarget(env.ctx, 'nas')).toMatchObject({ ok: true, repository: 'ready' });
  });

  it('reports an unreachable SFTP server without leaking the key', async () => {
    const loc = env.ctx.targets.get('nas').location;
    if (loc.kind !== 'sftp') throw new Error('sftp expected');
    await updateTarget(env.ctx, { id: 'nas', location: { ...loc, port: 1 } });
    const t = await testTarget(env.ctx, 'nas');
    expect(t.ok).toBe(false);
    expect(t.error?.code).toBe('BACKUP_TARGET_UNREACHABLE');
    const key = fs.readFileSync(env.ctx.secrets('nas').sshKeyFile, 'utf8').trim();
    const keyBody = key.split('\n')[1]!;
    expect(JSON.stringify(t)).not.toContain(keyBody);
    expect(JSON.stringify(t)).not.toContain(env.ctx.secrets('nas').readPassword()!);
    await updateTarget(env.ctx, { id: 'nas', location: loc });
  });

  it('refuses an SFTP target without a key and an S3 target without keys', async () => {
    const e1 = await errorOf(addTarget(env.ctx, { id: 'nokey', location: { kind: 'sftp', host: '127.0.0.1', port: 22, user: 'x', path: '/r' }, credentials: {} }));
    expect(e1.code).toBe('BACKUP_TARGET_INVALID');
    const e2 = await errorOf(
      addTarget(env.ctx, { id: 'nos3', location: { kind: 's3', endpoint: 'http://127.0.0.1:9', bucket: 'b1', prefix: '', bucketLookup: 'auto' }, credentials: { accessKeyId: 'only-id' } }),
    );
    expect(e2.code).toBe('BACKUP_TARGET_INVALID');
  });

  it('creates a repository in S3 (real MinIO), stores the keys 0600 and never shows them', async () => {
    const bucket = `medai-backuptest-${Date.now()}`;
    const location = { kind: 's3' as const, endpoint: minio.endpoint, bucket, prefix: 'site-a', bucketLookup: 'path' as const };
    const { recoverySheet } = await addTarget(env.ctx, { id: 'cloud', location, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
    expect(recoverySheet?.repository).toBe(`s3:${minio.endpoint}/${bucket}/site-a`);
    expect(recoverySheet?.text).not.toContain(minio.secretKey);
    const credFile = path.join(env.ctx.secrets('cloud').dir, 'credentials.json');
    expect(readSecretMode(credFile)).toBe(0o600);
    expect(JSON.stringify(env.ctx.targets.get('cloud'))).not.toContain(minio.secretKey);
    const sum = await env.ctx.repo('cloud').backupStream('data.txt', Readable.from([payload]), { tags: ['t'], host: 'h' });
    expect((await env.ctx.repo('cloud').readFile(sum.snapshotId, '/data.txt')).equals(payload)).toBe(true);
    expect(await testTarget(env.ctx, 'cloud')).toMatchObject({ ok: true, repository: 'ready' });
  });

  it('reports rejected S3 keys as an authentication failure without echoing them', async () => {
    await updateTarget(env.ctx, { id: 'cloud', credentials: { secretAccessKey: 'wrong-secret-key-0123456789' } });
    const t = await testTarget(env.ctx, 'cloud');
    expect(t.ok).toBe(false);
    expect(t.error?.code).toBe('BACKUP_TARGET_AUTH_FAILED');
    expect(JSON.stringify(t)).not.toContain('wrong-secret-key-0123456789');
    await updateTarget(env.ctx, { id: 'cloud', credentials: { secretAccessKey: minio.secretKey } });
    expect(await testTarget(env.ctx, 'cloud')).toMatchObject({ ok: true });
  });

  it('reports an S3 endpoint nobody answers on as unreachable', async () => {
    const loc = env.ctx.targets.get('cloud').location;
    if (loc.kind !== 's3') throw new Error('s3 expected');
    await updateTarget(env.ctx, { id: 'cloud', location: { ...loc, endpoint: 'http://127.0.0.1:9' } });
    const t = await testTarget(env.ctx, 'cloud');
    expect(t.error?.code).toBe('BACKUP_TARGET_UNREACHABLE');
    await updateTarget(env.ctx, { id: 'cloud', location: loc });
  }, 180_000);
});
