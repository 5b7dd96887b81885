import type { Command } from 'commander';
import path from 'node:path';
import { loadOrCreateConsoleToken } from '../../console/console-token';
import { fail } from '../../core/contract';
import type { CliContext } from '../cli-context';

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

export function registerConsoleCommand(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .description('Serve the web console (127.0.0.1 only unless --support-session)')
    .option('--port <port>', 'port to listen on', '8686')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--support-session', 'allow binding one non-loopback address for an on-site support session')
    .action(async (o: { port: string; host: string; supportSession?: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const loopback = LOOPBACK.includes(o.host);
      if (!loopback && !o.supportSession) {
        throw fail('INVALID_REQUEST', {}, `--host ${o.host} needs --support-session: the console listens on 127.0.0.1 only by default`);
      }
      if (o.host === '0.0.0.0' || o.host === '::') {
        throw fail('INVALID_REQUEST', {}, 'name the one interface address for the support session, not all interfaces');
      }
      const core = ctx.getCore(g);
      const token = loadOrCreateConsoleToken(core.deps.dataDir);
      // Loaded on demand: the web server is not needed by quick commands like `medai status`.
      const { startConsole } = await import('../../console/console-server');
      const running = await startConsole({
        core,
        token: token.value,
        host: o.host,
        port: Number(o.port),
        rendererDir: path.join(ctx.io.appRoot, 'dist', 'renderer'),
        docsDir: path.join(ctx.io.appRoot, 'docs'),
      });
      ctx.keepAlive = true;
      if (g.json) {
        ctx.io.stdout(JSON.stringify({ url: running.url, tokenFile: token.file, token: token.created ? token.value : undefined }));
      } else {
        ctx.io.stdout(`medai console: ${running.url}`);
        ctx.io.stdout(
          token.created
            ? `Login token (shown once, also in ${token.file}) / 登录令牌（仅显示一次）: ${token.value}`
            : `Login token / 登录令牌: cat ${token.file}`,
        );
        if (!loopback) ctx.io.stderr(`SUPPORT SESSION: listening on ${o.host}; stop it with Ctrl+C when support is done.`);
      }
    });
}
