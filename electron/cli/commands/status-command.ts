import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { renderEngineStatus } from '../render-text';

export function registerStatusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('Docker engine version, API version, storage driver and running containers')
    .action(async (_o, cmd: Command) => {
      const g = ctx.globals(cmd);
      const status = await ctx.call(g, 'engine.status', {});
      ctx.io.stdout(g.json ? JSON.stringify(status, null, 2) : renderEngineStatus(status, ctx.lang(g)));
    });
}
