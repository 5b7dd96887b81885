import type { Command } from 'commander';
import { Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { fail, type BackupSet, type BackupStatus, type Language, type RestoreReport, type TargetLocation } from '../../core/contract';
import { backupContext } from '../../core/backup/backup-api';
import { runAgent } from '../../core/backup/schedule/agent';
import type { CliContext } from '../cli-context';
import { formatBytes } from '../render-text';

const L = {
  'zh-CN': { good: '完好', incomplete: '不完整', none: '无', stale: '过期', passed: '通过', failed: '未通过', keep: '保留', remove: '删除', sheet: '请立即打印或抄写以下恢复单，它只显示这一次：' },
  en: { good: 'good', incomplete: 'incomplete', none: 'none', stale: 'STALE', passed: 'passed', failed: 'FAILED', keep: 'keep', remove: 'delete', sheet: 'Print or copy this recovery sheet now; it is shown only this once:' },
} as const;

/** Secrets come from files or the environment, never from argv (visible in ps and shell history). */
const readSecretFile = (file: string | undefined): string | undefined => (file ? fs.readFileSync(path.resolve(file), 'utf8').trim() : undefined);

function locationFrom(o: { local?: string; sftp?: string; port?: string; s3?: string; bucket?: string; prefix?: string; region?: string; pathStyle?: boolean }): TargetLocation {
  if (o.local) return { kind: 'local', path: path.resolve(o.local) };
  if (o.sftp) {
    const m = /^([^@]+)@([^:]+):(\/.*)$/.exec(o.sftp);
    if (!m) throw fail('BACKUP_TARGET_INVALID', { reason: '--sftp takes user@host:/absolute/path' });
    return { kind: 'sftp', user: m[1]!, host: m[2]!, path: m[3]!, port: Number(o.port ?? 22) };
  }
  if (o.s3) return { kind: 's3', endpoint: o.s3, bucket: o.bucket ?? '', prefix: o.prefix ?? '', region: o.region, bucketLookup: o.pathStyle ? 'path' : 'auto' };
  throw fail('BACKUP_TARGET_INVALID', { reason: 'give one of --local, --sftp or --s3' });
}

export function renderSets(sets: BackupSet[], lang: Language): string {
  if (!sets.length) return L[lang].none;
  return sets
    .map((s) => {
      const size = s.manifest ? `${formatBytes(s.manifest.totalBytes)} (+${formatBytes(s.manifest.addedBytes)})  ${(s.manifest.durationMs / 1000).toFixed(1)} s` : '';
      return `${s.time}  ${s.setId}  ${L[lang][s.status].padEnd(10)} ${(s.schedule ?? s.trigger).padEnd(8)} ${s.components.join(',')}  ${size}`;
    })
    .join('\n');
}

export function renderStatus(st: BackupStatus, lang: Language): string {
  if (!st.targets.length) return L[lang].none;
  return st.targets
    .map(
      (t) =>
        `${t.targetId}: last good ${t.lastGood?.time ?? L[lang].none}${t.stale ? `  [${L[lang].stale}]` : ''}; next ${t.nextRun ? `${t.nextRun.schedule} ${t.nextRun.at}` : L[lang].none}; drill ${t.lastDrill ? `${t.lastDrill.at} ${t.lastDrill.passed ? L[lang].passed : L[lang].failed}` : L[lang].none}`,
    )
    .join('\n');
}

export function renderReport(r: RestoreReport, lang: Language): string {
  const lines = [`${r.mode} ${r.setId}: ${r.passed ? L[lang].passed : L[lang].failed} (${(r.durationMs / 1000).toFixed(1)} s)${r.safetySetId ? `  safety ${r.safetySetId}` : ''}`];
  for (const c of r.components) for (const k of c.checks) lines.push(`  ${k.ok ? 'ok ' : 'BAD'} ${k.item}: ${k.expected} / ${k.actual}`);
  return lines.join('\n');
}

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  const backup = program.command('backup').description('Backups and restores of the stack (restic repositories) / 备份与恢复');
  const target = backup.command('target').description('backup targets: local folder, SFTP, S3');
  const out = (g: { json?: boolean }, value: unknown, text: string) => ctx.io.stdout(g.json ? JSON.stringify(value, null, 2) : text);

  target
    .command('add <id>')
    .description('add a target and create its repository (prints the recovery sheet once)')
    .option('--local <dir>', 'a folder on a mounted disk, NAS or NFS/SMB share')
    .option('--sftp <user@host:/path>', 'an SFTP server')
    .option('--port <port>', 'SFTP port', '22')
    .option('--ssh-key <file>', 'SSH private key file for SFTP')
    .option('--s3 <endpoint>', 'S3 endpoint, http(s)://host[:port]')
    .option('--bucket <name>', 'S3 bucket')
    .option('--prefix <prefix>', 'folder inside the bucket', '')
    .option('--region <region>', 'S3 region')
    .option('--path-style', 'path-style bucket addressing (MinIO, IP endpoints)')
    .option('--access-key-id <id>', 'S3 access key id (the secret comes from MEDAI_S3_SECRET_KEY or --secret-key-file)')
    .option('--secret-key-file <file>', 'file holding the S3 secret access key')
    .option('--password-file <file>', 'connect an existing repository with the password in this file')
    .action(async (id: string, o: Record<string, string | boolean | undefined>, cmd: Command) => {
      const g = ctx.globals(cmd);
      const location = locationFrom(o as never);
      const credentials = {
        ...(o.sshKey ? { sshPrivateKey: fs.readFileSync(path.resolve(String(o.sshKey)), 'utf8') } : {}),
        ...(o.accessKeyId ? { accessKeyId: String(o.accessKeyId) } : {}),
        ...(location.kind === 's3' ? { secretAccessKey: readSecretFile(o.secretKeyFile as string | undefined) ?? ctx.io.env.MEDAI_S3_SECRET_KEY } : {}),
      };
      const r = await ctx.call(g, 'backup.targets.add', { id, location, credentials, repositoryPassword: readSecretFile(o.passwordFile as string | undefined) });
      out(g, r, r.recoverySheet ? `${L[ctx.lang(g)].sheet}\n\n${r.recoverySheet.text}` : `${r.target.id}: ${r.target.repositoryId}`);
    });
  target
    .command('update <id>')
    .description('replace a target\'s password or credentials (from files / the environment)')
    .option('--password-file <file>', 'the repository password (from the recovery sheet)')
    .option('--ssh-key <file>', 'SSH private key file')
    .option('--access-key-id <id>', 'S3 access key id')
    .option('--secret-key-file <file>', 'file holding the S3 secret access key')
    .action(async (id: string, o: { passwordFile?: string; sshKey?: string; accessKeyId?: string; secretKeyFile?: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const secret = readSecretFile(o.secretKeyFile);
      const credentials = {
        ...(o.sshKey ? { sshPrivateKey: fs.readFileSync(path.resolve(o.sshKey), 'utf8') } : {}),
        ...(o.accessKeyId ? { accessKeyId: o.accessKeyId } : {}),
        ...(secret ? { secretAccessKey: secret } : {}),
      };
      const r = await ctx.call(g, 'backup.targets.update', { id, repositoryPassword: readSecretFile(o.passwordFile), ...(Object.keys(credentials).length ? { credentials } : {}) });
      out(g, r, `updated ${r.id}`);
    });
  target
    .command('list')
    .description('configured targets')
    .action(async (_o, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'backup.targets.list', {});
      out(g, r, r.map((t) => `${t.id.padEnd(16)} ${t.location.kind.padEnd(6)} ${JSON.stringify(t.location)}`).join('\n') || L[ctx.lang(g)].none);
    });
  target
    .command('test <id>')
    .description('test connection: reach the target and open its repository')
    .action(async (id: string, _o, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'backup.targets.test', { targetId: id });
      out(g, r, r.ok ? `ok: repository ${r.repository} (${r.elapsedMs} ms)${r.freeBytes !== null ? `, ${formatBytes(r.freeBytes)} free` : ''}` : '');
      if (!r.ok && r.error) ctx.unwrap(g, { ok: false, error: r.error });
    });
  target
    .command('remove <id>')
    .description('forget a target (its repository and snapshots stay)')
    .action(async (id: string, _o, cmd: Command) => {
      const g = ctx.globals(cmd);
      out(g, await ctx.call(g, 'backup.targets.remove', { targetId: id }), `removed ${id}`);
    });

  backup
    .command('run <target>')
    .description('back up the stack now')
    .addOption(new Option('--profile <profile>', 'full (with the Milvus outage) or online').choices(['full', 'online']).default('full'))
    .action(async (t: string, o: { profile: 'full' | 'online' }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { operationId } = await ctx.call(g, 'backup.run', { targetId: t, profile: o.profile });
      const r = (await ctx.follow(g, operationId)) as { setId: string };
      if (!g.json) ctx.io.stdout(r.setId);
    });
  backup
    .command('snapshots <target>')
    .description('backup sets in a target, newest first')
    .action(async (t: string, _o, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'backup.snapshots.list', { targetId: t });
      out(g, r, renderSets(r, ctx.lang(g)));
    });
  backup
    .command('verify <target>')
    .description('restic check, reading a share of the stored data back')
    .option('--read-data <percent>', 'percent of the data to read and verify', '10')
    .action(async (t: string, o: { readData: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { operationId } = await ctx.call(g, 'backup.verify', { targetId: t, readDataPercent: Number(o.readData) });
      await ctx.follow(g, operationId);
      if (!g.json) ctx.io.stdout('ok');
    });
  backup
    .command('prune <target>')
    .description('apply the keep rules (use --dry-run for the preview)')
    .option('--dry-run', 'only show what would be kept and deleted')
    .action(async (t: string, o: { dryRun?: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const l = L[ctx.lang(g)];
      const render = (p: { keep: { setId: string; time: string; reasons: string[] }[]; remove: { setId: string; time: string }[] }) =>
        [...p.keep.map((k) => `${l.keep.padEnd(6)} ${k.time} ${k.setId}  ${k.reasons.join(', ')}`), ...p.remove.map((r) => `${l.remove.padEnd(6)} ${r.time} ${r.setId}`)].join('\n');
      if (o.dryRun) {
        const p = await ctx.call(g, 'backup.retention.preview', { targetId: t });
        return out(g, p, render(p));
      }
      const { operationId } = await ctx.call(g, 'backup.prune', { targetId: t });
      const p = (await ctx.follow(g, operationId)) as Parameters<typeof render>[0];
      if (!g.json) ctx.io.stdout(render(p));
    });
  backup
    .command('restore <target> <setId>')
    .description('restore a backup set in place (type the stack name with --confirm) or as a drill')
    .option('--drill', 'restore into scratch containers and compare; the live stack is untouched')
    .option('--confirm <stack>', 'the stack name, confirming that current data is replaced')
    .option('--components <list>', 'comma-separated, any of: postgres,redis,milvus (default: every restorable component in the set)')
    .action(async (t: string, setId: string, o: { drill?: boolean; confirm?: string; components?: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { operationId } = await ctx.call(g, 'backup.restore', {
        targetId: t,
        setId,
        mode: o.drill ? 'drill' : 'in-place',
        confirm: o.confirm,
        components: o.components ? (o.components.split(',') as never) : undefined,
      });
      const r = (await ctx.follow(g, operationId)) as RestoreReport;
      if (!g.json) ctx.io.stdout(renderReport(r, ctx.lang(g)));
    });
  backup
    .command('schedule <target>')
    .description('show or set schedules: --set name="cron"/profile/keepDays (repeat)')
    .option('--set <spec...>', 'e.g. daily="0 2 * * *"/full/30 hourly="0 * * * *"/online/7 drill="0 4 * * 0"/online/365')
    .action(async (t: string, o: { set?: string[] }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const schedules = o.set
        ? await ctx.call(g, 'backup.schedules.set', {
            targetId: t,
            schedules: o.set.map((spec) => {
              const m = /^([a-z0-9-]+)=(.+)\/(full|online)\/(\d+)$/.exec(spec);
              if (!m) throw fail('BACKUP_SCHEDULE_INVALID', { expression: spec, reason: 'write name=cron/profile/keepDays' });
              return { name: m[1]!, cron: m[2]!.replace(/^"|"$/g, ''), profile: m[3] as 'full' | 'online', keepDays: Number(m[4]), enabled: true };
            }),
          })
        : await ctx.call(g, 'backup.schedules.get', { targetId: t });
      out(g, schedules, schedules.map((s) => `${s.name.padEnd(8)} ${s.cron.padEnd(14)} ${s.profile.padEnd(7)} keep ${s.keepDays} d${s.enabled ? '' : ' (off)'}`).join('\n'));
    });
  backup
    .command('history [target]')
    .description('backup, prune, restore and drill runs')
    .option('--limit <n>', 'how many', '30')
    .action(async (t: string | undefined, o: { limit: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'backup.history', { targetId: t, limit: Number(o.limit) });
      out(g, r, r.map((x) => `${x.startedAt}  ${x.targetId.padEnd(12)} ${x.kind.padEnd(8)} ${x.state.padEnd(12)} ${x.scheduleName ?? x.trigger} ${x.setId ?? ''} ${x.error?.code ?? ''}`).join('\n'));
    });
  backup
    .command('status')
    .description('last good backup, next run and last drill per target')
    .action(async (_o, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'backup.status', {});
      out(g, r, renderStatus(r, ctx.lang(g)));
    });
  backup
    .command('stack')
    .description('show or set how backups find the stack')
    .option('--project <name>', 'Compose project name')
    .option('--stack-version <v>', 'installed stack version')
    .option('--config-dir <dir>', 'stack config folder (env file, compose file)')
    .option('--models-dir <dir>', 'models folder')
    .action(async (o: { project?: string; stackVersion?: string; configDir?: string; modelsDir?: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const patch = {
        ...(o.project ? { project: o.project } : {}),
        ...(o.stackVersion ? { version: o.stackVersion } : {}),
        ...(o.configDir ? { configDir: path.resolve(o.configDir) } : {}),
        ...(o.modelsDir ? { modelsDir: path.resolve(o.modelsDir) } : {}),
      };
      const r = Object.keys(patch).length ? await ctx.call(g, 'backup.stack.set', patch) : await ctx.call(g, 'backup.stack.get', {});
      out(g, r, JSON.stringify(r, null, 2));
    });
  backup
    .command('alerts')
    .description('show or set failure alerts (webhooks: json, wecom, dingtalk)')
    .option('--webhook <format=url...>', 'e.g. wecom=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…')
    .action(async (o: { webhook?: string[] }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = o.webhook
        ? await ctx.call(g, 'backup.alerts.set', {
            desktop: true,
            webhooks: o.webhook.map((w) => ({ format: w.slice(0, w.indexOf('=')) as 'json' | 'wecom' | 'dingtalk', url: w.slice(w.indexOf('=') + 1) })),
          })
        : await ctx.call(g, 'backup.alerts.get', {});
      out(g, r, JSON.stringify(r, null, 2));
    });
  backup
    .command('unlock <target>')
    .description("clear restic's stale repository locks (after a power cut)")
    .action(async (t: string, _o, cmd: Command) => {
      const g = ctx.globals(cmd);
      out(g, await ctx.call(g, 'backup.unlock', { targetId: t }), 'ok');
    });

  program
    .command('agent')
    .description('headless agent: runs backup schedules while the desktop app is closed (run it as a system service)')
    .option('--interval <seconds>', 'how often schedules are checked', '30')
    .action(async (o: { interval: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const core = ctx.getCore(g);
      const controller = new AbortController();
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => controller.abort());
      ctx.io.stdout(JSON.stringify({ agent: 'started', pid: process.pid, dataDir: core.deps.dataDir }));
      await runAgent(backupContext(core.deps), {
        intervalMs: Number(o.interval) * 1000,
        signal: controller.signal,
        onTick: (outcomes) => outcomes.forEach((x) => ctx.io.stdout(JSON.stringify(x))),
      });
    });
}
