import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runBuiltCli } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';
import { ensureRestic } from './backup-fixtures';

// `medai backup …` exactly as shipped (the esbuild bundle), finding the shipped restic itself.
describe('medai backup (built CLI)', () => {
  const tmp = makeTempDir('backuptest-cli');
  const dataDir = path.join(tmp.dir, 'data');
  const cli = (...args: string[]) => runBuiltCli(['--data-dir', dataDir, ...args]);
  beforeAll(() => {
    ensureRestic();
    const b = spawnSync('flock', ['/tmp/medai-build.lock', 'node', 'scripts/build-node.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(b.stderr);
    fs.mkdirSync(path.join(tmp.dir, 'disk'));
  });
  afterAll(() => tmp.cleanup());

  it('adds a target and prints the recovery sheet once; the password never appears elsewhere', () => {
    const r = cli('--json', 'backup', 'target', 'add', 'usb', '--local', path.join(tmp.dir, 'disk', 'repo'));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { recoverySheet: { password: string; text: string } };
    const pwFile = path.join(dataDir, 'backup', 'targets', 'usb', 'repository-password');
    expect(fs.readFileSync(pwFile, 'utf8')).toBe(out.recoverySheet.password);
    expect(fs.statSync(pwFile).mode & 0o777).toBe(0o600);
    const list = cli('--json', 'backup', 'target', 'list');
    expect(list.stdout).toContain('"usb"');
    expect(list.stdout).not.toContain(out.recoverySheet.password);
    expect(cli('--json', 'backup', 'history').stdout).not.toContain(out.recoverySheet.password);
    expect(JSON.parse(cli('--json', 'backup', 'snapshots', 'usb').stdout)).toEqual([]);
    expect(JSON.parse(cli('--json', 'backup', 'prune', 'usb', '--dry-run').stdout)).toEqual({ keep: [], remove: [] });
    const test = cli('backup', 'target', 'test', 'usb');
    expect(test.code).toBe(0);
    expect(test.stdout).toContain('repository ready');
  });

  it('shows the default schedules and refuses a bad cron with its code and exit status', () => {
    const s = cli('backup', 'schedule', 'usb');
    expect(s.stdout).toMatch(/daily\s+0 2 \* \* \*\s+full\s+keep 30 d/);
    expect(s.stdout).toMatch(/hourly\s+0 \* \* \* \*\s+online\s+keep 7 d/);
    const bad = cli('--lang', 'en', 'backup', 'schedule', 'usb', '--set', 'daily=61 2 * * */full/30');
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('BACKUP_SCHEDULE_INVALID');
    expect(cli('backup', 'schedule', 'usb').stdout).toContain('daily');
  });

  it('names an unknown target with its code', () => {
    const r = cli('--lang', 'zh-CN', 'backup', 'target', 'test', 'nope');
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('BACKUP_TARGET_NOT_FOUND');
    expect(r.stderr).toContain('没有名为 nope 的备份目标');
  });
});
