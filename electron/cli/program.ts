import { Command, CommanderError, Option } from 'commander';
import { toApiError } from '../core/contract';
import { languageFromLocale } from './cli-language';
import { CliContext, CliExit, type CliIo, type GlobalOptions } from './cli-context';
import { registerBundleCommands } from './commands/bundle-command';
import { registerBackupCommands } from './commands/backup-command';
import { registerCheckCommand } from './commands/check-command';
import { registerConsoleCommand } from './commands/console-command';
import { registerOperationCommands } from './commands/operation-command';
import { registerStatusCommand } from './commands/status-command';
import { registerStackCommands } from './commands/stack-command';
import { registerServiceCommands } from './commands/service-command';
import { registerSupportCommands } from './commands/support-command';
import { EXIT, exitCodeFor } from './exit-codes';
import { renderError } from './render-text';

export type { CliIo } from './cli-context';

/** Runs `medai` over the core; returns the exit code instead of exiting, for tests. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = new Command('medai')
    .description('Install and manage the on-prem medical AI stack / 医疗智能系统安装与管理')
    .option('--data-dir <dir>', 'manager state directory (default: /var/lib/medai as root)')
    .option('--json', 'print machine-readable JSON')
    .addOption(new Option('--lang <language>', 'output language').choices(['zh-CN', 'en']))
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  // Each capability registers its own commands.
  registerStatusCommand(program, ctx);
  registerConsoleCommand(program, ctx);
  registerOperationCommands(program, ctx);
  registerCheckCommand(program, ctx);
  registerBundleCommands(program, ctx);
  registerStackCommands(program, ctx);
  registerServiceCommands(program, ctx);
  registerBackupCommands(program, ctx);
  registerSupportCommands(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CliExit) return e.code;
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const g = program.opts<GlobalOptions>();
    const error = toApiError(e);
    if (g.json) io.stdout(JSON.stringify({ ok: false, error }, null, 2));
    else io.stderr(renderError(error, g.lang ?? languageFromLocale(io.env)));
    return exitCodeFor(error.code);
  } finally {
    ctx.close();
  }
}
