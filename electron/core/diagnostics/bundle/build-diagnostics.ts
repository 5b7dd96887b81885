import path from 'node:path';
import { text, toApiError, type DiagnosticsBundleResult, type LocalizedText, type ParsedRequest } from '../../contract';
import type { CoreDeps } from '../../core';
import type { OperationContext } from '../../operations/operation-hub';
import type { EngineAccess } from '../../stack/engine/engine-access';
import type { BundlePart, MissingPart } from './bundle-part';
import { collectEngine } from './collect-engine';
import { collectManager } from './collect-manager';
import { collectBackups, collectBundles, collectHostReport, collectMetricsKeys, collectOperations } from './collect-records';
import { collectStackFiles, collectStackLogs, collectStackState } from './collect-stack';
import { knownSecrets } from './known-secrets';
import { resolveOutput } from './output-path';
import { redactParts } from './redact-parts';
import { writeTarGz } from './write-tarball';

const OPERATIONS_KEPT = 200;
const BACKUP_RUNS_KEPT = 50;

interface Collector {
  id: string;
  label: LocalizedText;
  collect: () => Promise<BundlePart[]> | BundlePart[];
}

/**
 * Collects every part (one progress step each), redacts, and writes one .tar.gz (0600).
 * A part that cannot be collected (engine down, no stack) is listed in the manifest as
 * missing instead of failing the bundle: a broken machine is exactly when support needs it.
 */
export async function buildDiagnostics(deps: CoreDeps, req: ParsedRequest<'diagnostics.bundle'>, ctx: OperationContext): Promise<DiagnosticsBundleResult> {
  const now = deps.clock.now();
  // Refused before collecting anything: a wrong --out is known at once.
  const file = resolveOutput(deps.dataDir, req.out, now);
  const access: EngineAccess = { docker: deps.docker, endpoint: deps.dockerEndpoint };
  const collectors: Collector[] = [
    { id: 'manager', label: text('管理程序与操作系统', 'Manager and OS'), collect: () => collectManager(deps.dataDir, now) },
    { id: 'host', label: text('最近一次主机检查', 'Latest host check'), collect: () => collectHostReport(deps.db) },
    { id: 'engine', label: text('Docker 引擎信息', 'Docker engine info'), collect: () => collectEngine(access) },
    { id: 'stack-state', label: text('栈状态与容器', 'Stack status and containers'), collect: () => collectStackState(access, deps.db, req.stack) },
    { id: 'stack-logs', label: text(`容器日志（最后 ${req.logLines} 行）`, `Container logs (last ${req.logLines} lines)`), collect: () => collectStackLogs(access, req.stack, req.logLines) },
    { id: 'stack-files', label: text('栈配置（已脱敏）', 'Stack configuration (redacted)'), collect: () => collectStackFiles(deps.db, req.stack) },
    { id: 'operations', label: text('操作记录', 'Operations journal'), collect: () => collectOperations(deps.db, OPERATIONS_KEPT) },
    { id: 'bundles', label: text('已导入的离线包', 'Imported bundles'), collect: () => collectBundles(deps.db) },
    { id: 'backup', label: text('备份目标与记录', 'Backup targets and runs'), collect: () => collectBackups(deps.db, BACKUP_RUNS_KEPT) },
    { id: 'service', label: text('指标密钥（仅名称）', 'Metrics keys (names only)'), collect: () => collectMetricsKeys(deps.dataDir) },
  ];
  const count = collectors.length + 2;
  const parts: BundlePart[] = [];
  const missing: MissingPart[] = [];
  for (const [index, c] of collectors.entries()) {
    ctx.progress({ step: { id: c.id, label: c.label, index, count }, percent: Math.round((index / count) * 100) });
    try {
      parts.push(...(await c.collect()));
    } catch (e) {
      const err = toApiError(e);
      missing.push({ part: c.id, code: err.code, detail: err.detail ?? err.message.en });
      ctx.progress({ log: `${c.id}: not collected (${err.code})` });
    }
  }

  ctx.progress({ step: { id: 'redact', label: text('脱敏', 'Redacting secrets'), index: collectors.length, count }, percent: Math.round((collectors.length / count) * 100) });
  const secrets = knownSecrets(deps.dataDir, deps.db);
  const files = redactParts([...parts, { path: 'missing.json', json: missing }], secrets);
  const redacted = [...new Set(files.flatMap((f) => f.entry.redacted))].sort();
  const manifest = {
    format: 'medai-diagnostics/1',
    createdAt: now.toISOString(),
    stack: req.stack,
    logLines: req.logLines,
    files: files.map((f) => f.entry),
    redacted,
    knownSecretValuesChecked: secrets.length,
    missing,
  };
  const manifestData = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');

  ctx.progress({ step: { id: 'write', label: text('写入诊断包', 'Writing the bundle'), index: collectors.length + 1, count }, percent: Math.round(((collectors.length + 1) / count) * 100) });
  const root = path.basename(file).replace(/\.tar\.gz$/, '');
  const written = await writeTarGz(file, root, [{ path: 'manifest.json', data: manifestData }, ...files.map((f) => ({ path: f.path, data: f.data }))], now);
  ctx.progress({ percent: 100, bytesDone: written.bytes, bytesTotal: written.bytes, log: `written ${file}` });
  return { file, fileName: path.basename(file), bytes: written.bytes, sha256: written.sha256, entries: files.map((f) => f.entry), redacted, missing: missing.map((m) => `${m.part}: ${m.code}`) };
}
