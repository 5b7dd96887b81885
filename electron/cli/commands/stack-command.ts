import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { StackPlan, StackStatus } from '../../core/contract';
import { CliExit, type CliContext, type GlobalOptions } from '../cli-context';
import { EXIT } from '../exit-codes';

const num = (v: string) => Number(v);

function printPlan(ctx: CliContext, g: GlobalOptions, plan: StackPlan): void {
  if (g.json) return ctx.io.stdout(JSON.stringify(plan, null, 2));
  const lines = [`${plan.stack}: ${plan.fromVersion} → ${plan.toVersion}${plan.migrations ? '  (database migration)' : ''}`];
  for (const s of plan.services) lines.push(`  ${s.change.padEnd(9)} ${s.service}${s.configDiff.length ? `  [${s.configDiff.join(', ')}]` : ''}${s.migrates ? '  migrates' : ''}`);
  lines.push('', ctx.lang(g) === 'zh-CN' ? plan.releaseNotes['zh-CN'] : plan.releaseNotes.en);
  ctx.io.stdout(lines.join('\n'));
}

function printStatus(ctx: CliContext, g: GlobalOptions, s: StackStatus): void {
  if (g.json) return ctx.io.stdout(JSON.stringify(s, null, 2));
  const mb = (b: number | null) => (b === null ? '-' : `${Math.round(b / 1048576)} MiB`);
  const lines = [`${s.stack}: ${s.installed ? `installed, version ${s.version}` : 'not installed'}`];
  if (s.openOperation) lines.push(`  unfinished ${s.openOperation.kind} ${s.openOperation.operationId} at ${s.openOperation.lastStep ?? '-'}: run \`medai stack recover --resume\` or \`--rollback\``);
  for (const x of s.services) {
    lines.push(`  ${x.service.padEnd(22)} ${x.state.padEnd(8)} ${(x.health ?? '-').padEnd(9)} restarts ${x.restartCount}  cpu ${x.cpuPercent ?? '-'}%  mem ${mb(x.memoryBytes)}  v${x.version ?? '?'}`);
  }
  ctx.io.stdout(lines.join('\n'));
}

/** `medai stack …`: every command goes through the contract; long ones follow their operation. */
export function registerStackCommands(program: Command, ctx: CliContext): void {
  const stack = program.command('stack').description('Install, upgrade, roll back and run the stack / 安装、升级、回滚与运行');
  const follow = async (cmd: Command, method: Parameters<CliContext['call']>[1], params: object) => {
    const g = ctx.globals(cmd);
    const { operationId } = (await ctx.call(g, method, params as never)) as { operationId: string };
    const result = await ctx.follow(g, operationId);
    ctx.io.stdout(JSON.stringify(result, null, 2));
  };

  stack
    .command('install')
    .requiredOption('--bundle <version>', 'imported bundle version to install')
    .option('--stack <name>', 'stack name (Compose project)', 'medai')
    .option('--bind <address>', 'address the service port is published on', '127.0.0.1')
    .option('--port <port>', 'published service port', '8000')
    .option('--gpu', 'use the NVIDIA GPU reservations of the bundle', false)
    .option('--volumes-dir <dir>', "host folder for the stack's data volumes (default: Docker's data root)")
    .option('--admin-contact <text>', 'who to call about this installation', '')
    .option('--override-host-check <reason>', 'install although the host check fails (the reason is journaled)')
    .option('--health-timeout <seconds>', 'per service', '300')
    .action((o: { bundle: string; stack: string; bind: string; port: string; gpu: boolean; volumesDir?: string; adminContact: string; overrideHostCheck?: string; healthTimeout: string }, cmd: Command) =>
      follow(cmd, 'stack.install', {
        stack: o.stack,
        bundleVersion: o.bundle,
        config: { bindAddress: o.bind, httpPort: num(o.port), gpu: o.gpu, ...(o.volumesDir ? { dataDir: o.volumesDir } : {}), adminContact: o.adminContact },
        ...(o.overrideHostCheck ? { overrideHostCheck: o.overrideHostCheck } : {}),
        healthTimeoutS: num(o.healthTimeout),
      }),
    );

  stack
    .command('plan')
    .requiredOption('--bundle <version>')
    .option('--stack <name>', 'stack name', 'medai')
    .description('what an upgrade to the bundle would change (changes nothing)')
    .action(async (o: { bundle: string; stack: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      printPlan(ctx, g, await ctx.call(g, 'stack.plan', { stack: o.stack, bundleVersion: o.bundle }));
    });

  stack
    .command('upgrade')
    .requiredOption('--bundle <version>')
    .option('--stack <name>', 'stack name', 'medai')
    .option('--health-timeout <seconds>', 'per service', '300')
    .description('safety backup, then replace changed services; rolls back automatically on failure')
    .action((o: { bundle: string; stack: string; healthTimeout: string }, cmd: Command) => follow(cmd, 'stack.upgrade', { stack: o.stack, bundleVersion: o.bundle, healthTimeoutS: num(o.healthTimeout) }));

  stack
    .command('rollback')
    .requiredOption('--to <version>')
    .requiredOption('--confirm <stack-name>', 'type the stack name to confirm')
    .option('--stack <name>', 'stack name', 'medai')
    .option('--restore-database', "also restore the database from that version's safety backup", false)
    .option('--health-timeout <seconds>', 'per service', '300')
    .action((o: { to: string; confirm: string; stack: string; restoreDatabase: boolean; healthTimeout: string }, cmd: Command) =>
      follow(cmd, 'stack.rollback', { stack: o.stack, toVersion: o.to, restoreDatabase: o.restoreDatabase, confirm: o.confirm, healthTimeoutS: num(o.healthTimeout) }),
    );

  for (const action of ['start', 'stop', 'restart'] as const) {
    stack
      .command(action)
      .option('--stack <name>', 'stack name', 'medai')
      .option('--health-timeout <seconds>', 'per service', '300')
      .action((o: { stack: string; healthTimeout: string }, cmd: Command) => follow(cmd, 'stack.lifecycle', { stack: o.stack, action, healthTimeoutS: num(o.healthTimeout) }));
  }

  stack
    .command('status')
    .option('--stack <name>', 'stack name', 'medai')
    .action(async (o: { stack: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      printStatus(ctx, g, await ctx.call(g, 'stack.status', { stack: o.stack }));
    });

  stack
    .command('history')
    .option('--stack <name>', 'stack name', 'medai')
    .action(async (o: { stack: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const h = await ctx.call(g, 'stack.history', { stack: o.stack });
      ctx.io.stdout(g.json ? JSON.stringify(h, null, 2) : h.map((v) => `${v.current ? '*' : ' '} ${v.version.padEnd(12)} first ${v.firstDeployedAt}  last ${v.lastDeployedAt}  images ${v.imagesPresent ? 'present' : 'MISSING'}  backup ${v.safetyBackupAt ?? '-'}`).join('\n'));
    });

  stack
    .command('logs [service]')
    .option('--stack <name>', 'stack name', 'medai')
    .option('--tail <n>', 'lines', '200')
    .option('--filter <text>', 'only lines containing this text')
    .option('-f, --follow', 'keep printing new lines', false)
    .action(async (service: string | undefined, o: { stack: string; tail: string; filter?: string; follow: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      let since: number | undefined;
      for (;;) {
        const r = await ctx.call(g, 'stack.logs', { stack: o.stack, tail: num(o.tail), ...(service ? { service } : {}), ...(o.filter ? { filter: o.filter } : {}), ...(since !== undefined ? { since } : {}) });
        for (const l of r.lines) ctx.io.stdout(g.json ? JSON.stringify(l) : `${l.service} | ${l.text}`);
        if (!o.follow) return;
        since = r.until;
        await sleep(1000);
      }
    });

  stack
    .command('uninstall')
    .option('--stack <name>', 'stack name', 'medai')
    .option('--delete-data', 'also delete the data volumes (needs --confirm)', false)
    .option('--confirm <stack-name>', 'type the stack name to confirm deleting data')
    .action((o: { stack: string; deleteData: boolean; confirm?: string }, cmd: Command) =>
      follow(cmd, 'stack.uninstall', { stack: o.stack, deleteData: o.deleteData, ...(o.confirm !== undefined ? { confirm: o.confirm } : {}) }),
    );

  stack
    .command('recover')
    .description('finish (--resume) or undo (--rollback) an operation a crash interrupted')
    .option('--stack <name>', 'stack name', 'medai')
    .option('--resume', 'finish it', false)
    .option('--rollback', 'go back to where the stack was before it', false)
    .option('--health-timeout <seconds>', 'per service', '300')
    .action((o: { stack: string; resume: boolean; rollback: boolean; healthTimeout: string }, cmd: Command) => {
      // The choice is the person's: never guess between finishing and undoing.
      if (o.resume === o.rollback) {
        ctx.io.stderr('choose exactly one of --resume or --rollback / 请选择 --resume 或 --rollback 之一');
        throw new CliExit(EXIT.usage);
      }
      return follow(cmd, 'stack.recover', { stack: o.stack, action: o.rollback ? 'rollback' : 'resume', healthTimeoutS: num(o.healthTimeout) });
    });
}
