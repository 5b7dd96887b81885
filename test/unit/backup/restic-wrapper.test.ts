import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../../../electron/core/backup/redact';
import { resticError } from '../../../electron/core/backup/restic/restic-errors';
import { statusToProgress } from '../../../electron/core/backup/restic/restic-progress';
import { ResticRepo } from '../../../electron/core/backup/restic/restic-repo';
import { resticCommand, type ResticInvocation, type ResticRunner } from '../../../electron/core/backup/restic/restic-runner';

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

describe('restic and a dead job', () => {
  it('starts restic through setpriv so it dies with the manager, and plainly where setpriv is missing', () => {
    expect(resticCommand('/r/restic', ['check'], '/usr/bin/setpriv')).toEqual({ file: '/usr/bin/setpriv', args: ['--pdeathsig', 'KILL', '--', '/r/restic', 'check'] });
    expect(resticCommand('/r/restic', ['check'], null)).toEqual({ file: '/r/restic', args: ['check'] });
  });

  const locked = { code: 11, signal: null, stdout: '', stderr: 'Fatal: unable to create lock in backend: repository is already locked by PID 4242 on vm' };
  const ok = (stdout = '') => ({ code: 0, signal: null, stdout, stderr: '' });
  const lockOf = (hostname: string, pid: number) => ok(JSON.stringify({ time: '2026-11-29T13:00:00Z', exclusive: false, hostname, username: 'root', pid }, null, 2));
  /** restic answering from a script per command; the host has pid 100 alive and nothing else. */
  const scripted = (answers: Record<string, ReturnType<typeof ok>[]>) => {
    const seen: string[] = [];
    const runner: ResticRunner = {
      start(_bin, inv) {
        const cmd = inv.args.filter((a) => a !== '--no-lock').join(' ').replace(/ [0-9a-f]{8,}$/, '');
        seen.push(cmd);
        return { done: Promise.resolve(answers[cmd]!.shift()!), stdin: null, kill: () => undefined };
      },
    };
    const host = { hostname: 'vm', processAlive: (pid: number) => pid === 100 };
    const repo = new ResticRepo({ label: 'usb', repository: '/r', passwordFile: '/p', env: {}, options: [], cacheDir: '/c' }, runner, '/bin/restic', (s) => s, host);
    return { repo, seen };
  };

  it("clears locks restic calls stale (unlock) and runs the job again, once", async () => {
    const { repo, seen } = scripted({ check: [locked, ok()], unlock: [ok()], 'list locks': [ok('')] });
    await expect(repo.check(0)).resolves.toMatchObject({ ok: true });
    expect(seen).toEqual(['check', 'unlock', 'list locks', 'check']);
  });

  it('removes the locks of this host whose holder is dead or a zombie, which restic keeps', async () => {
    const { repo, seen } = scripted({ check: [locked, ok()], unlock: [ok()], 'list locks': [ok('aaaaaaaaaaaa\nbbbbbbbbbbbb\n')], 'cat lock': [lockOf('vm', 4242), lockOf('vm', 4243)], 'unlock --remove-all': [ok()] });
    await expect(repo.check(0)).resolves.toMatchObject({ ok: true });
    expect(seen).toEqual(['check', 'unlock', 'list locks', 'cat lock', 'cat lock', 'unlock --remove-all', 'check']);
  });

  it('checks for locks when it opens the repository before a backup, and clears only when there are some', async () => {
    const none = scripted({ 'list locks': [ok('')] });
    expect((await none.repo.probe(1000, { clearStaleLocks: true })).code).toBe(0);
    expect(none.seen).toEqual(['list locks']);
    const some = scripted({ 'list locks': [ok('aaaaaaaaaaaa\n'), ok('aaaaaaaaaaaa\n')], unlock: [ok()], 'cat lock': [lockOf('vm', 4242)], 'unlock --remove-all': [ok()] });
    expect((await some.repo.probe(1000, { clearStaleLocks: true })).code).toBe(0);
    expect(some.seen).toEqual(['list locks', 'unlock', 'list locks', 'cat lock', 'unlock --remove-all']);
  });

  it('keeps a live holder\'s lock, and one from another host, and reports BACKUP_REPO_LOCKED', async () => {
    for (const holder of [lockOf('vm', 100), lockOf('other-host', 4242)]) {
      const { repo, seen } = scripted({ forget: [locked, locked], unlock: [ok()], 'list locks': [ok('aaaaaaaaaaaa\n')], 'cat lock': [holder] });
      await expect(repo.forget(['abcdef012345'], false)).rejects.toMatchObject({ error: { code: 'BACKUP_REPO_LOCKED' } });
      expect(seen).toEqual(['forget', 'unlock', 'list locks', 'cat lock', 'forget']);
    }
  });
});
