import type { Command } from 'commander';
import fs from 'node:fs';
import { fail, HOST_CHECK_CATEGORIES, type HostCheckReport, type HostCheckResult, type Language } from '../../core/contract';
import { renderReportHtml } from '../../core/host/report-html';
import { CliExit, type CliContext, type GlobalOptions } from '../cli-context';
import { EXIT } from '../exit-codes';
import { renderProgress } from '../render-text';

const RESULT_TAG: Record<HostCheckResult, string> = { pass: 'PASS ', warn: 'WARN ', fail: 'FAIL ', error: 'ERROR' };
const HEAD = {
  'zh-CN': { categories: { system: '系统', disk: '磁盘', docker: 'Docker', gpu: 'GPU', airgap: '离线就绪' }, need: '要求', fix: '解决办法', verdict: '结论', saved: '已保存检查记录', html: '报告已写入' },
  en: { categories: { system: 'System', disk: 'Disk', docker: 'Docker', gpu: 'GPU', airgap: 'Air-gap readiness' }, need: 'needs', fix: 'Fix', verdict: 'Verdict', saved: 'Stored as run', html: 'Report written to' },
} as const;

/** Exit code by the worst result: 0 pass, 1 warn, 2 fail; a check that could not measure counts as a failure (the gate must not open on an unknown). */
export const exitForResult = (r: HostCheckResult): number => (r === 'pass' ? EXIT.ok : r === 'warn' ? EXIT.warn : EXIT.fail);

/** People's view: grouped by category, one line per check, then what it means and how to fix it. */
export function renderCheckReport(r: HostCheckReport, lang: Language): string {
  const h = HEAD[lang];
  const out: string[] = [];
  const idWidth = Math.max(...r.checks.map((c) => c.id.length));
  for (const cat of HOST_CHECK_CATEGORIES) {
    const items = r.checks.filter((c) => c.category === cat);
    if (!items.length) continue;
    out.push('', `== ${h.categories[cat]} ==`);
    for (const c of items) {
      out.push(`[${RESULT_TAG[c.result]}] ${c.id.padEnd(idWidth)}  ${c.measuredText}${c.threshold ? `   (${h.need}: ${c.threshold[lang]})` : ''}`);
      if (c.result !== 'pass') {
        out.push(`         ${c.message[lang]}`);
        if (c.remedy) out.push(`         ${h.fix}: ${c.remedy[lang]}`);
      }
    }
  }
  const counts = (['pass', 'warn', 'fail', 'error'] as const).map((k) => `${k} ${r.counts[k]}`).join(', ');
  out.push('', `${h.verdict}: ${r.worst.toUpperCase()} (${counts}; ${r.durationMs} ms)`, `${h.saved}: ${r.runId}`);
  return out.join('\n').replace(/^\n/, '');
}

function writeReport(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content, { mode: 0o644 });
  } catch (e) {
    throw fail('HOST_EXPORT_FAILED', { file }, (e as Error).message);
  }
}

const list = (v: string | undefined): string[] | undefined => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

export function registerCheckCommand(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('Host preflight: can this server run the stack, and what to fix (exit 0 pass, 1 warn, 2 fail)')
    .option('--only <ids>', 'comma-separated check ids or categories (system, disk, docker, gpu, airgap)')
    .option('--ports <ports>', "comma-separated host ports to check instead of the stack's own")
    .option('--bundle <file>', 'size the checks by this offline bundle (before importing it)')
    .option('--html <file>', 'also write a printable self-contained HTML report')
    .option('--history', 'list stored check runs instead of running one')
    .option('--limit <n>', 'how many runs --history lists', '20')
    .option('--show <runId>', 'show a stored run instead of running one')
    .action(async (o: { only?: string; ports?: string; bundle?: string; html?: string; history?: boolean; limit: string; show?: string }, cmd: Command) => {
      const g: GlobalOptions = ctx.globals(cmd);
      const lang = ctx.lang(g);
      if (o.history) {
        const runs = await ctx.call(g, 'host.checkRuns', { limit: Number(o.limit) });
        ctx.io.stdout(
          g.json
            ? JSON.stringify(runs, null, 2)
            : runs.map((r) => `${r.runId}  ${r.startedAt}  ${r.worst.toUpperCase().padEnd(5)}  pass ${r.counts.pass} warn ${r.counts.warn} fail ${r.counts.fail} error ${r.counts.error}${r.only ? `  only ${r.only.join(',')}` : ''}`).join('\n'),
        );
        return;
      }
      let report: HostCheckReport;
      if (o.show) {
        report = await ctx.call(g, 'host.checkRun', { runId: o.show });
      } else {
        const ports = list(o.ports)?.map(Number);
        const { operationId } = await ctx.call(g, 'host.check', { ...(o.only ? { only: list(o.only) } : {}), ...(ports ? { ports } : {}), ...(o.bundle ? { bundle: o.bundle } : {}) });
        const last = await ctx.getCore(g).operations.waitFor(operationId, (e) => {
          // Only the fact-gathering steps: the evaluation steps are instant and the table shows them.
          if (!g.json && e.type === 'progress' && e.step?.id.startsWith('facts.')) ctx.io.stderr(renderProgress(e, lang) ?? '');
        });
        if (last.type === 'failed') ctx.unwrap(g, { ok: false, error: last.error });
        report = (last as { result: HostCheckReport }).result;
      }
      if (o.html) writeReport(o.html, renderReportHtml(report, lang));
      ctx.io.stdout(g.json ? JSON.stringify(report, null, 2) : renderCheckReport(report, lang));
      if (o.html && !g.json) ctx.io.stderr(`${HEAD[lang].html}: ${o.html}`);
      const code = exitForResult(report.worst);
      if (code !== EXIT.ok) throw new CliExit(code);
    });
}
