import { fail, text, type LocalizedText } from '../../contract';
import type { CoreDeps } from '../../core';
import type { OperationContext } from '../../operations/operation-hub';
import type { EngineAccess } from '../engine/engine-access';
import { StackStore } from '../state/stack-store';
import { StepJournal } from '../state/step-journal';

/** What every stack operation works with. */
export interface StackRun {
  deps: CoreDeps;
  access: EngineAccess;
  store: StackStore;
  journal: StepJournal;
  ctx: OperationContext;
  /** Runs one journaled step and reports it as progress. */
  step<T>(id: string, label: LocalizedText, act: () => Promise<T>, data?: unknown): Promise<T>;
  log(line: string): void;
}

export const accessOf = (deps: CoreDeps): EngineAccess => ({ docker: deps.docker, endpoint: deps.dockerEndpoint });

/**
 * Opens the stack operation record (refusing when another one of this stack is still open:
 * two writers on one stack is how stacks end up half on each version), then runs `body`.
 */
export async function runStackOperation<T>(
  deps: CoreDeps,
  ctx: OperationContext,
  meta: { stack: string; kind: string; fromVersion: string | null; toVersion: string | null; request: unknown; plannedSteps: number; recovering?: boolean },
  body: (run: StackRun) => Promise<T>,
): Promise<T> {
  const store = new StackStore(deps.db);
  const open = store.openOperation(meta.stack);
  if (open && !meta.recovering) {
    throw fail('STACK_OPERATION_OPEN', { stack: meta.stack, operation: open.operationId, kind: open.kind, step: StepJournal.lastStep(deps.db, open.operationId) ?? '-' });
  }
  store.openOperationRow({ operationId: ctx.id, stack: meta.stack, kind: meta.kind, fromVersion: meta.fromVersion, toVersion: meta.toVersion, request: meta.request, startedAt: deps.clock.now().toISOString() });
  const journal = new StepJournal(deps.db, deps.clock, ctx.id);
  let index = 0;
  let count = Math.max(meta.plannedSteps, 1);
  const run: StackRun = {
    deps,
    access: accessOf(deps),
    store,
    journal,
    ctx,
    log: (line) => ctx.progress({ log: line }),
    step: async (id, label, act, data) => {
      if (index >= count) count = index + 1;
      ctx.progress({ step: { id, label, index, count }, percent: Math.round((index / count) * 100) });
      index += 1;
      return journal.step(id, act, data);
    },
  };
  try {
    const result = await body(run);
    store.closeOperation(ctx.id, 'succeeded', result, deps.clock.now().toISOString());
    ctx.progress({ percent: 100 });
    return result;
  } catch (e) {
    // A body that rolled back closes its record itself; anything else failed as-is.
    if (store.openOperation(meta.stack)?.operationId === ctx.id) store.closeOperation(ctx.id, 'failed', { error: (e as Error).message }, deps.clock.now().toISOString());
    throw e;
  }
}

/** Step labels shared by the operations (zh-CN and en). */
export const LABELS = {
  hostCheck: text('主机检查', 'Host check'),
  files: text('生成配置与密钥', 'Write configuration and secrets'),
  preflight: text('检查镜像、端口与数据卷', 'Check images, ports and volumes'),
  models: text('把离线包中的模型放入模型数据卷', 'Place the bundle\'s models in the models volume'),
  service: (s: string) => text(`启动服务 ${s} 并等待健康`, `Start ${s} and wait until healthy`),
  migrate: (s: string) => text(`运行 ${s} 的数据库迁移`, `Run the database migration of ${s}`),
  remove: (s: string) => text(`移除服务 ${s}`, `Remove service ${s}`),
  verify: text('通过发布端口检查 /health 与 /ready', 'Check /health and /ready through the published port'),
  record: text('记录安装版本', 'Record the installed version'),
  plan: text('生成升级计划', 'Plan the upgrade'),
  backup: text('升级前安全备份（数据库与配置）', 'Safety backup (database and configuration)'),
  safetySnapshot: text('升级前安全快照（写入备份目标）', 'Safety snapshot into the backup target'),
  stopApp: text('停止使用数据库的服务', 'Stop the services that use the database'),
  restore: text('从安全备份恢复数据库', 'Restore the database from the safety backup'),
  apply: (v: string) => text(`切换到版本 ${v}`, `Switch to version ${v}`),
  rollback: (v: string) => text(`自动回滚到版本 ${v}`, `Roll back to version ${v} automatically`),
};
