import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { runRestore } from '../../../electron/core/backup/restore/run-restore';
import { runBackup } from '../../../electron/core/backup/snapshot/run-backup';
import { addTarget } from '../../../electron/core/backup/targets/targets-service';
import { ensureMinio, ensureRestic, ensureSftp, makeBackupEnv } from './backup-fixtures';
import { startTestStack, type TestStack } from './stack-fixture';

const op = () => ({ progress: () => undefined, signal: new AbortController().signal });

// The acceptance round trip on the two remote kinds (the local kind is in snapshot.test.ts):
// backup → wipe the stack's volumes → restore → the same rows and checksums answer.
describe('backup → wipe → restore over SFTP and S3', () => {
  let env: ReturnType<typeof makeBackupEnv>;
  let stack: TestStack;
  beforeAll(async () => {
    ensureRestic();
    const sftp = ensureSftp();
    const minio = ensureMinio();
    env = makeBackupEnv('backuptest-roundtrip');
    stack = await startTestStack(env.docker);
    await stack.waitReady();
    await stack.seed(3000);
    new BackupConfig(env.db).setStack({ project: stack.project, version: '1.0.0' });
    await addTarget(env.ctx, {
      id: 'nas',
      location: { kind: 'sftp', host: sftp.host, port: sftp.port, user: sftp.user, path: `${sftp.base}/roundtrip-${Date.now()}` },
      credentials: { sshPrivateKey: fs.readFileSync(sftp.key, 'utf8') },
    });
    await addTarget(env.ctx, {
      id: 'cloud',
      location: { kind: 's3', endpoint: minio.endpoint, bucket: `medai-backuptest-rt-${Date.now()}`, prefix: 'stack', bucketLookup: 'path' },
      credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    env?.cleanup();
  });

  for (const target of ['nas', 'cloud']) {
    it(`restores the stack from ${target}`, async () => {
      await stack.sql(`UPDATE patients SET note = 'changed for ${target}' WHERE id % 10 = 0`);
      const before = await stack.fingerprint();
      const { setId } = await runBackup(env.ctx, { targetId: target, profile: 'online' }, op());
      await stack.wipe();
      expect(await stack.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'patients'")).toBe('0');
      const report = await runRestore(env.ctx, { targetId: target, setId, mode: 'in-place', confirm: stack.project }, op());
      expect(report.passed).toBe(true);
      expect(await stack.fingerprint()).toBe(before);
      expect(await stack.redisCli('GET', 'session:3')).toBe('value-3');
    }, 300_000);
  }
});
