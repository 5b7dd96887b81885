import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../../../electron/core/backup/redact';
import { resticError } from '../../../electron/core/backup/restic/restic-errors';
import { statusToProgress } from '../../../electron/core/backup/restic/restic-progress';
import { ResticRepo } from '../../../electron/core/backup/restic/restic-repo';
import type { ResticInvocation, ResticRunner } from '../../../electron/core/backup/restic/restic-runner';

const exit = (code: number, stderr: string) => ({ code, signal: null, stdout: '', stderr });

describe('restic JSON progress', () => {
  it('maps backup and restore status lines to bytes and percent', () => {
    expect(statusToProgress({ message_type: 'status', percent_done: 0.5, total_bytes: 200, bytes_done: 100 })).toEqual({ bytesDone: 100, bytesTotal: 200, percent: 50 });
    expect(statusToProgress({ message_type: 'status', total_bytes: 400, bytes_restored: 100 })).toEqual({ bytesDone: 100, bytesTotal: 400, percent: 25 });
  });
  it('estimates percent of a stdin stream from the expected size', () => {
    expect(statusToProgress({ message_type: 'status', bytes_done: 30 }, 120)).toEqual({ bytesDone: 30, bytesTotal: 120, percent: 25 });
    expect(statusToProgress({ message_type: 'summary' })).toBeNull();
  });
});

describe('restic errors', () => {
  const id = (s: string) => s;
  it('keys on restic 0.17+ exit codes first', () => {
    expect(resticError('x', 't', exit(12, 'Fatal: wrong password or no key found'), id).error.code).toBe('BACKUP_WRONG_PASSWORD');
    expect(resticError('x', 't', exit(10, 'Fatal: repository does not exist'), id).error.code).toBe('BACKUP_REPO_NOT_FOUND');
    expect(resticError('x', 't', exit(11, 'Fatal: unable to create lock: repository is already locked'), id).error.code).toBe('BACKUP_REPO_LOCKED');
  });
  it('recognises transport, auth and space failures by their text', () => {
    expect(resticError('x', 't', exit(1, 'dial tcp 127.0.0.1:9: connect: connection refused'), id).error.code).toBe('BACKUP_TARGET_UNREACHABLE');
    expect(resticError('x', 't', exit(1, 'The Access Key Id you provided does not exist in our records.'), id).error.code).toBe('BACKUP_TARGET_AUTH_FAILED');
    expect(resticError('x', 't', exit(1, 'write /r/data/ab/cd: no space left on device'), id).error.code).toBe('BACKUP_TARGET_FULL');
    const other = resticError('backup', 't', exit(1, 'something odd'), id).error;
    expect(other.code).toBe('BACKUP_ENGINE_FAILED');
    expect(other.detail).toBe('something odd');
  });
  it('redacts secrets from the detail', () => {
    const redact = makeRedactor(['s3cr3t-access-key', undefined, 'abc']);
    const e = resticError('x', 't', exit(1, 'bad request for key s3cr3t-access-key abc'), redact).error;
    expect(e.detail).toBe('bad request for key [redacted] abc');
  });
});

describe('ResticRepo argument building', () => {
  const calls: ResticInvocation[] = [];
  const runner: ResticRunner = {
    start(_bin, inv) {
      calls.push(inv);
      inv.onStdoutLine?.('{"message_type":"summary","snapshot_id":"abc","data_added":5,"total_bytes_processed":10,"total_duration":1}');
      return { done: Promise.resolve({ code: 0, signal: null, stdout: '[]', stderr: '' }), stdin: null, kill: () => undefined };
    },
  };
  const repo = new ResticRepo(
    { label: 't', repository: 's3:http://h:9000/b', passwordFile: '/p/pw', env: { AWS_SECRET_ACCESS_KEY: 'topsecretvalue' }, options: ['sftp.command=ssh -i "/a b/key" -p 22'], cacheDir: '/c' },
    runner,
    '/bin/restic',
    (s) => s,
  );
  it('passes the password as a file and secrets in env, never in argv', async () => {
    await repo.backupPaths(['/data'], { tags: ['medai', 'set:1'], host: 'h', time: new Date('2026-01-02T03:04:05Z') });
    const inv = calls.at(-1)!;
    expect(inv.env.RESTIC_PASSWORD_FILE).toBe('/p/pw');
    expect(inv.env.TZ).toBe('UTC');
    expect(inv.args.join(' ')).not.toContain('topsecretvalue');
    expect(inv.args).toEqual([
      '-o', '"sftp.command=ssh -i ""/a b/key"" -p 22"',
      'backup', '--json', '--host', 'h', '--tag', 'medai', '--tag', 'set:1', '--time', '2026-01-02 03:04:05', '--', '/data',
    ]);
  });
  it('asks check to read all data or a subset', async () => {
    await repo.check(100);
    expect(calls.at(-1)!.args.slice(-2)).toEqual(['check', '--read-data']);
    await repo.check(5);
    expect(calls.at(-1)!.args.slice(-2)).toEqual(['check', '--read-data-subset=5%']);
  });
});
