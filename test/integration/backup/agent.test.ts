import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { backupStatus } from '../../../electron/core/backup/backup-status';
import { RunsStore } from '../../../electron/core/backup/runs-store';
import { agentTick } from '../../../electron/core/backup/schedule/agent';
import { ScheduleStore } from '../../../electron/core/backup/schedule/schedule-store';
import { createCore } from '../../../electron/core/core';
import { ensureRestic, FakeClock, makeBackupEnv, RESTIC } from './backup-fixtures';
import { startTestStack, type TestStack } from './stack-fixture';

describe('the headless agent on a fake clock, against the real stack, restic and a webhook server', () => {
  const clock = new FakeClock(new Date('2026-03-01T00:30:00Z'));
  let env: ReturnType<typeof makeBackupEnv>;
  let stack: TestStack;
  let server: http.Server;
  const received: { url: string; body: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    ensureRestic();
    env = makeBackupEnv('backuptest-agent', clock);
    stack = await startTestStack(env.docker);
    await stack.waitReady();
    await stack.seed(500);
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        res.end('{"errcode":0}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const config = new BackupConfig(env.db);
    config.setStack({ project: stack.project, version: '1.0.0' });
    config.setAlerts({ desktop: true, webhooks: [{ format: 'wecom', url: `http://127.0.0.1:${port}/wecom` }, { format: 'json', url: `http://127.0.0.1:${port}/json` }] });
    fs.mkdirSync(path.join(env.dir, 'disk'));
    const core = createCore({ dataDir: env.dataDir, db: env.db, docker: env.docker, dockerEndpoint: { socketPath: '/var/run/docker.sock', timeoutSeconds: 10 }, clock, backupOptions: { resticBinary: RESTIC, host: 'agent-test' } });
    const added = await core.dispatch('backup.targets.add', { id: 'usb', location: { kind: 'local', path: path.join(env.dir, 'disk', 'repo') } });
    expect(added.ok).toBe(true);
    // Through the contract: a new target gets the product defaults.
    const defaults = await core.dispatch('backup.schedules.get', { targetId: 'usb' });
    expect(defaults).toMatchObject({ ok: true, result: [{ name: 'daily', cron: '0 2 * * *', keepDays: 30 }, { name: 'drill' }, { name: 'hourly', keepDays: 7 }] });
    new ScheduleStore(env.db).set(
      'usb',
      [
        { name: 'hourly', cron: '0 * * * *', profile: 'online', enabled: true, keepDays: 7 },
        { name: 'drill', cron: '30 4 * * *', profile: 'online', enabled: true, keepDays: 1 },
      ],
      clock.now(),
    );
  });
  afterAll(async () => {
    server?.close();
    await stack?.stop();
    env?.cleanup();
  });

  it('runs only the newest due slot, records and alerts the missed ones', async () => {
    expect(await agentTick(env.ctx)).toEqual([]);
    clock.t = new Date('2026-03-01T03:10:00Z');
    const out = await agentTick(env.ctx);
    expect(out.map((o) => [o.dueAt, o.result])).toEqual([
      ['2026-03-01T01:00:00.000Z', 'missed'],
      ['2026-03-01T02:00:00.000Z', 'missed'],
      ['2026-03-01T03:00:00.000Z', 'succeeded'],
    ]);
    const runs = new RunsStore(env.db).list({ targetId: 'usb', limit: 20 });
    expect(runs.filter((r) => r.state === 'missed')).toHaveLength(2);
    expect(runs.find((r) => r.kind === 'backup' && r.state === 'succeeded')?.scheduleName).toBe('hourly');
    const wecom = received.find((r) => r.url === '/wecom');
    expect(wecom?.body).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('missed 2 run(s)') } });
    expect(received.find((r) => r.url === '/json')?.body).toMatchObject({ source: 'medai-backup', kind: 'run-missed', target: 'usb' });
    // Nothing more is due in the same hour.
    expect(await agentTick(env.ctx)).toEqual([]);
  });

  it('refuses to overlap a job already holding the repository, and alerts', async () => {
    const release = env.ctx.locks.acquire('usb', 'prune');
    clock.t = new Date('2026-03-01T04:05:00Z');
    const out = await agentTick(env.ctx);
    release();
    expect(out).toEqual([expect.objectContaining({ schedule: 'hourly', result: 'failed', code: 'BACKUP_BUSY' })]);
    expect(received.some((r) => r.url === '/json' && r.body.kind === 'backup-failed' && String(r.body.detail).includes('BACKUP_BUSY'))).toBe(true);
  });

  it('runs the drill schedule; the dashboard status shows it, and turns stale when backups stop', async () => {
    clock.t = new Date('2026-03-01T04:35:00Z');
    const out = await agentTick(env.ctx);
    expect(out).toEqual([expect.objectContaining({ schedule: 'drill', result: 'succeeded' })]);
    const st = backupStatus(env.ctx).targets[0]!;
    expect(st.lastDrill).toMatchObject({ passed: true });
    expect(st.lastGood?.time).toBe('2026-03-01T03:10:00.000Z');
    expect(st.nextRun).toEqual({ schedule: 'hourly', at: '2026-03-01T05:00:00.000Z' });
    expect(st.stale).toBe(false);
    // The agent stops: two hours past the last good backup, an hourly schedule is overdue.
    clock.t = new Date('2026-03-01T05:20:00Z');
    expect(backupStatus(env.ctx).targets[0]!.stale).toBe(true);
  });
});
