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
  ctx.io.stdout(lines.join('\n'));
}

/** `medai service …`: the running inference service; keys go through its container's CLI. */
export function registerServiceCommands(program: Command, ctx: CliContext): void {
  const service = program.command('service').description('The inference service: readiness, metrics, API keys / 推理服务：就绪状态、指标、API 密钥');
  const container = (c: Command) => c.option('--container <name>', 'service container', 'medai-medical-ai-service-1');

  service
    .command('status')
    .option('--url <url>', 'service base URL', 'http://127.0.0.1:8000')
    .option('--api-key-env <var>', 'environment variable holding an API key (for /metrics)', 'MEDAI_SERVICE_API_KEY')
    .description('Readiness per dependency, model and execution provider, request figures')
    .action(async (o: { url: string; apiKeyEnv: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const apiKey = ctx.io.env[o.apiKeyEnv];
      printStatus(ctx, g, await ctx.call(g, 'service.status', { url: o.url, ...(apiKey ? { apiKey } : {}) }));
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
