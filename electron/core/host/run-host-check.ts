import { randomBytes } from 'node:crypto';
import { HOST_CHECK_RESULTS, selectHostChecks, worstResult, type HostCheckItem, type HostCheckReport, type HostCheckRequest, type LocalizedText, type ProgressUpdate } from '../contract';
import type { Clock } from '../clock';
import { checkById } from './check-registry';
import { closeSources, collectFacts, SOURCE_LABELS, type CollectContext } from './collect-facts';
import type { FactSource } from './facts';

export interface RunOptions {
  request: HostCheckRequest;
  collect: CollectContext;
  clock: Clock;
  operationId: string | null;
  progress?: (u: ProgressUpdate) => void;
}

/**
 * One preflight run: collect the facts the selected checks need (once), evaluate each
 * check as a pure function, and report progress as step i of n over sources then checks.
 */
export async function runHostCheck(o: RunOptions): Promise<HostCheckReport> {
  const started = o.clock.now();
  const t0 = performance.now();
  const ids = selectHostChecks(o.request.only);
  const checks = ids.map(checkById);
  const sources = closeSources(checks.flatMap((c) => c.needs));
  const count = sources.length + checks.length;
  let step = 0;
  const report = (id: string, label: LocalizedText, log?: string) => {
    o.progress?.({ step: { id, label, index: step, count }, percent: Math.round((step / count) * 100), ...(log ? { log } : {}) });
    step++;
  };

  const facts = await collectFacts(o.collect, sources, (s: FactSource) => report(`facts.${s}`, SOURCE_LABELS[s]));
  const items: HostCheckItem[] = checks.map((c) => {
    let out;
    try {
      out = c.run(facts);
    } catch (e) {
      // A check that throws is a bug, but the run must still report every other check.
      out = {
        result: 'error' as const,
        measured: null,
        measuredText: 'check failed',
        threshold: null,
        message: { 'zh-CN': `检查程序出错：${(e as Error).message}`, en: `The check itself failed: ${(e as Error).message}` },
        remedy: { 'zh-CN': '导出诊断包并联系技术支持。', en: 'Export a diagnostics bundle and contact support.' },
      };
    }
    report(c.id, c.title, `${c.id}: ${out.result} (${out.measuredText})`);
    return { id: c.id, category: c.category, title: c.title, ...out };
  });
  o.progress?.({ percent: 100 });

  const counts = Object.fromEntries(HOST_CHECK_RESULTS.map((r) => [r, items.filter((i) => i.result === r).length])) as HostCheckReport['counts'];
  return {
    runId: `hc_${randomBytes(8).toString('hex')}`,
    operationId: o.operationId,
    startedAt: started.toISOString(),
    finishedAt: o.clock.now().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    hostname: o.collect.probes.hostname(),
    worst: worstResult(items.map((i) => i.result)),
    counts,
    only: o.request.only ?? null,
    requirements: o.collect.requirements,
    checks: items,
  };
}
