import { HOST_CHECK_CATEGORIES, type HostCheckReport, type Language } from '../contract';

const L = {
  'zh-CN': {
    title: '主机预检报告',
    host: '主机',
    run: '检查编号',
    at: '时间',
    duration: '耗时',
    verdict: '结论',
    check: '检查项',
    result: '结果',
    measured: '测量值',
    threshold: '要求',
    remedy: '解决办法',
    requirements: '依据',
    formula: '磁盘需求 = 镜像 + 数据卷 + 备份份数 × 数据卷',
    source: { 'bundle-file': '离线包文件', 'imported-bundle': '已导入的离线包', defaults: '默认估计（尚未导入离线包）' },
    categories: { system: '系统', disk: '磁盘', docker: 'Docker', gpu: 'GPU', airgap: '离线就绪' },
    results: { pass: '通过', warn: '警告', fail: '失败', error: '无法检查' },
  },
  en: {
    title: 'Host preflight report',
    host: 'Host',
    run: 'Run',
    at: 'Time',
    duration: 'Duration',
    verdict: 'Verdict',
    check: 'Check',
    result: 'Result',
    measured: 'Measured',
    threshold: 'Requirement',
    remedy: 'How to fix',
    requirements: 'Based on',
    formula: 'disk need = images + volumes + backup copies × volumes',
    source: { 'bundle-file': 'the bundle file', 'imported-bundle': 'the imported bundle', defaults: 'default estimates (no bundle imported yet)' },
    categories: { system: 'System', disk: 'Disk', docker: 'Docker', gpu: 'GPU', airgap: 'Air-gap readiness' },
    results: { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR' },
  },
} as const;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A self-contained printable report (inline CSS, no scripts, no external resources), so it
 * can be mailed to support or printed to PDF from any browser on an air-gapped site.
 */
export function renderReportHtml(r: HostCheckReport, lang: Language): string {
  const t = L[lang];
  const rows = HOST_CHECK_CATEGORIES.flatMap((cat) => {
    const items = r.checks.filter((c) => c.category === cat);
    if (!items.length) return [];
    return [
      `<tr class="cat"><th colspan="5">${esc(t.categories[cat])}</th></tr>`,
      ...items.map(
        (c) =>
          `<tr class="${c.result}"><td><b>${esc(c.title[lang])}</b><br><code>${esc(c.id)}</code></td><td><span class="tag ${c.result}">${t.results[c.result]}</span></td>` +
          `<td>${esc(c.measuredText)}<div class="msg">${esc(c.message[lang])}</div></td><td>${esc(c.threshold?.[lang] ?? '')}</td><td>${esc(c.remedy?.[lang] ?? '')}</td></tr>`,
      ),
    ];
  });
  const counts = (['pass', 'warn', 'fail', 'error'] as const).map((k) => `${t.results[k]} ${r.counts[k]}`).join(' · ');
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(t.title)} — ${esc(r.hostname)}</title>
<style>
body{font:13px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 8px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:6px;vertical-align:top;text-align:left}
tr.cat th{background:#f0f0f0;font-size:14px}.tag{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-weight:bold}
.tag.pass{background:#389e0d}.tag.warn{background:#d48806}.tag.fail{background:#cf1322}.tag.error{background:#595959}
.msg{color:#555;margin-top:4px}code{font-size:11px;color:#666}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:bold}
@media print{body{margin:0}tr{page-break-inside:avoid}}
</style></head><body>
<h1>${esc(t.title)}</h1>
<dl><dt>${t.host}</dt><dd>${esc(r.hostname)}</dd><dt>${t.run}</dt><dd>${esc(r.runId)}</dd><dt>${t.at}</dt><dd>${esc(r.startedAt)}</dd>
<dt>${t.duration}</dt><dd>${r.durationMs} ms</dd><dt>${t.verdict}</dt><dd><span class="tag ${r.worst}">${t.results[r.worst]}</span> ${esc(counts)}</dd>
<dt>${t.requirements}</dt><dd>${esc(t.source[r.requirements.source])}${r.requirements.bundleVersion ? ` ${esc(r.requirements.bundleVersion)}` : ''}; ${esc(t.formula)}</dd></dl>
<table><thead><tr><th>${t.check}</th><th>${t.result}</th><th>${t.measured}</th><th>${t.threshold}</th><th>${t.remedy}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</body></html>
`;
}

export const reportFileName = (r: HostCheckReport, ext: 'html' | 'json'): string =>
  `medai-host-check-${r.hostname.replace(/[^A-Za-z0-9._-]/g, '_')}-${r.startedAt.replace(/[:.]/g, '-')}.${ext}`;
