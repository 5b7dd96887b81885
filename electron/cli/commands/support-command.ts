import type { Command } from 'commander';
import type { DiagnosticsBundleResult } from '../../core/contract';
import type { CliContext } from '../cli-context';

const L = {
  'zh-CN': { file: '诊断包', size: '大小', files: '文件数', redacted: '已脱敏（仅名称）', missing: '未能收集', none: '无', hint: '将此文件交给技术支持；其中的密码、令牌与密钥已被替换为 «redacted»。' },
  en: { file: 'Diagnostics bundle', size: 'Size', files: 'Files', redacted: 'Redacted (names only)', missing: 'Not collected', none: 'none', hint: 'Give this file to support; passwords, tokens and keys in it were replaced by «redacted».' },
} as const;

const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(2)} MiB`;

/** `medai support bundle`: the diagnostics bundle for support engineers, secrets redacted. */
export function registerSupportCommands(program: Command, ctx: CliContext): void {
  const support = program.command('support').description('Support: collect a diagnostics bundle with every secret redacted');
  support
    .command('bundle')
    .description('write one .tar.gz (0600) with manager, host, stack, logs, journal and engine facts; secrets redacted')
    .option('--out <file>', 'output file or folder (default: <data-dir>/support/medai-diagnostics-<host>-<time>.tar.gz)')
    .option('--stack <name>', 'stack whose status, logs and configuration are collected', 'medai')
    .option('--log-lines <n>', 'last N log lines of each stack container', '500')
    .action(async (o: { out?: string; stack: string; logLines: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { operationId } = await ctx.call(g, 'diagnostics.bundle', { ...(o.out ? { out: o.out } : {}), stack: o.stack, logLines: Number(o.logLines) });
      const r = (await ctx.follow(g, operationId)) as DiagnosticsBundleResult;
      if (g.json) return;
      const l = L[ctx.lang(g)];
      ctx.io.stdout(
        [
          `${l.file}: ${r.file}`,
          `${l.size}: ${mib(r.bytes)}  sha256 ${r.sha256}`,
          `${l.files}: ${r.entries.length + 1}`,
          `${l.redacted}: ${r.redacted.join(', ') || l.none}`,
          `${l.missing}: ${r.missing.join(', ') || l.none}`,
          l.hint,
        ].join('\n'),
      );
    });
}
