import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function registerOperationCommands(program: Command, ctx: CliContext): void {
  const operation = program.command('operation').description('List and follow long operations');
  operation
    .command('list')
    .option('--limit <n>', 'how many', '20')
    .action(async (o: { limit: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const list = await ctx.call(g, 'operations.list', { limit: Number(o.limit) });
      ctx.io.stdout(g.json ? JSON.stringify(list, null, 2) : list.map((op) => `${op.id}  ${op.kind}  ${op.state}  ${op.startedAt}`).join('\n'));
    });
  operation
    .command('watch <id>')
    .description('attach to an operation (also one running in another process) and show its progress')
    .action(async (id: string, _o, cmd: Command) => {
      const g = ctx.globals(cmd);
      await ctx.call(g, 'operations.get', { id });
      await ctx.follow(g, id);
    });

  program
    .command('self-test')
    .description('run a short operation that exercises progress reporting')
    .option('--steps <n>', 'steps', '3')
    .action(async (o: { steps: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { operationId } = await ctx.call(g, 'diagnostics.selfTest', { steps: Number(o.steps), stepMs: 100 });
      await ctx.follow(g, operationId);
    });
}
