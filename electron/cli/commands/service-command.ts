import type { Command } from 'commander';
import type { ServiceStatus } from '../../core/contract';
import type { CliContext, GlobalOptions } from '../cli-context';

function printStatus(ctx: CliContext, g: GlobalOptions, s: ServiceStatus): void {
  if (g.json) return ctx.io.stdout(JSON.stringify(s, null, 2));
  const zh = ctx.lang(g) === 'zh-CN';
  const lines = [`${s.url}: ${s.ready ? (zh ? '就绪' : 'ready') : zh ? '未就绪' : 'NOT READY'}  (v${s.version ?? '?'})`];
  for (const [name, d] of Object.entries(s.dependencies)) lines.push(`  ${name.padEnd(10)} ${d.ok ? 'ok  ' : 'DOWN'} ${String(d.latencyMs).padStart(7)} ms${d.error ? `  ${d.code ? `[${d.code}] ` : ''}${d.error}` : ''}`);
  if (s.model) lines.push(`  model      ${s.model.name} (${s.model.dimension} dims) on ${s.model.provider}${s.model.providerNote ? `  ${s.model.providerNote}` : ''}`);
  if (s.metrics) {
    const m = s.metrics;
    lines.push(`  requests   ${m.requestsTotal} (5xx ${m.errorsTotal}, rejected ${m.rejectedTotal}), latency p50 ${m.latencyP50Ms ?? '-'} ms p99 ${m.latencyP99Ms ?? '-'} ms`);
    lines.push(`  batching   mean batch ${m.batchSizeMean ?? '-'}, queue ${m.queueDepth}, in flight ${m.inflight}, RSS ${m.residentMemoryBytes === null ? '-' : `${Math.round(m.residentMemoryBytes / 1048576)} MiB`}`);
  }
  if (s.metricsError) lines.push(`  metrics    [${s.metricsError.code}] ${s.metricsError.message[zh ? 'zh-CN' : 'en']}\n             ${s.metricsError.remedy[zh ? 'zh-CN' : 'en']}`);
  else if (!s.metrics && s.managedMetricsKey === null) lines.push(zh ? '  metrics    未读取（medai service metrics-key enable 让管理程序读取）' : '  metrics    not read (medai service metrics-key enable lets the manager read them)');
  ctx.io.stdout(lines.join('\n'));
}

/** `medai service …`: the running inference service; keys go through its container's CLI. */
export function registerServiceCommands(program: Command, ctx: CliContext): void {
  const service = program.command('service').description('The inference service: readiness, metrics, API keys / 推理服务：就绪状态、指标、API 密钥');
  const container = (c: Command) => c.option('--container <name>', 'service container', 'medai-medical-ai-service-1');

  service
    .command('status')
    .option('--url <url>', 'service base URL', 'http://127.0.0.1:8000')
    .option('--api-key-env <var>', 'environment variable holding an API key (for /metrics; default: the key the manager holds)', 'MEDAI_SERVICE_API_KEY')
    .option('--container <name>', 'service container whose manager-held metrics key is used', 'medai-medical-ai-service-1')
    .description('Readiness per dependency, model and execution provider, request figures')
    .action(async (o: { url: string; apiKeyEnv: string; container: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const apiKey = ctx.io.env[o.apiKeyEnv];
      printStatus(ctx, g, await ctx.call(g, 'service.status', { url: o.url, container: o.container, ...(apiKey ? { apiKey } : {}) }));
    });

  const metricsKey = service.command('metrics-key').description("The manager's own key for reading /metrics / 管理程序读取指标用的密钥");
  container(metricsKey.command('enable').description('Create the key and keep it in the data directory (0600); never shown'))
    .action(async (o: { container: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const k = await ctx.call(g, 'service.metricsKey.enable', { container: o.container });
      const zh = ctx.lang(g) === 'zh-CN';
      ctx.io.stdout(g.json ? JSON.stringify(k, null, 2) : `${k.id}  ${k.name}  ${zh ? '管理程序现在读取请求指标' : 'the manager now reads the request figures'}`);
    });
  container(metricsKey.command('disable').description('Revoke the key in the service and delete its file'))
    .action(async (o: { container: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'service.metricsKey.disable', { container: o.container });
      const zh = ctx.lang(g) === 'zh-CN';
      const said = r.id === null ? (zh ? '管理程序没有保存密钥' : 'the manager held no key') : r.revoked ? (zh ? `${r.id} 已吊销并删除` : `${r.id} revoked and deleted`) : zh ? `${r.id} 已被吊销；文件已删除` : `${r.id} was already revoked; file deleted`;
      ctx.io.stdout(g.json ? JSON.stringify(r, null, 2) : said);
    });

  const keys = service.command('keys').description('API keys of the service / 服务的 API 密钥');
  container(keys.command('create <name>').description('Create a key; it is shown once'))
    .action(async (name: string, o: { container: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const k = await ctx.call(g, 'service.keys.create', { container: o.container, name });
      ctx.io.stdout(g.json ? JSON.stringify(k, null, 2) : `${k.id}  ${k.name}\n${k.key}\n(shown once / 仅显示一次)`);
    });
  container(keys.command('revoke <id>').description('Revoke a key (effective within 10 s)'))
    .action(async (id: string, o: { container: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'service.keys.revoke', { container: o.container, id });
      ctx.io.stdout(g.json ? JSON.stringify(r, null, 2) : `${r.id} revoked`);
    });
  container(keys.command('list').description('List keys (never the keys themselves)'))
    .action(async (o: { container: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const list = await ctx.call(g, 'service.keys.list', { container: o.container });
      ctx.io.stdout(g.json ? JSON.stringify(list, null, 2) : list.map((k) => `${k.id}  ${k.name.padEnd(24)} ${k.revoked_at ? 'revoked' : 'active '}  created ${k.created_at}`).join('\n'));
    });
  container(service.command('migrate').description('Apply the service database migrations'))
    .action(async (o: { container: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'service.migrate', { container: o.container });
      ctx.io.stdout(g.json ? JSON.stringify(r, null, 2) : `schema ${r.from} → ${r.to}${r.applied.length ? ` (applied ${r.applied.join(', ')})` : ' (up to date)'}`);
    });
}
