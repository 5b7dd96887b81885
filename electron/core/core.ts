import type Docker from 'dockerode';
import type { CallHandlers, CallMethodName, OperationBodies } from './capability';
import { apiError, fail, isMethodName, METHODS, toApiError, type CallEnvelope, type MethodName, type OperationMethodName } from './contract';
import type { Clock } from './clock';
import { bundleCalls, bundleOperations, type BundleOptions } from './bundle/bundle-api';
import { backupCalls, backupOperations } from './backup/backup-api';
import type { BackupOptions } from './backup/backup-context';
import { backupSafetySnapshot } from './backup/safety-snapshot-port';
import { diagnosticsOperations } from './diagnostics/self-test';
import { diagnosticsBundleOperations } from './diagnostics/bundle/diagnostics-bundle-api';
import type { DockerEndpoint } from './engine/docker-endpoint';
import { engineCalls } from './engine/engine-api';
import { hostCalls, hostOperations } from './host/host-api';
import type { HostProbes } from './host/host-probes';
import { OperationHub, type OperationContext } from './operations/operation-hub';
import { operationsCalls } from './operations/operations-api';
import { settingsCalls } from './settings/settings-api';
import { SettingsStore } from './settings/settings-store';
import { stackCalls, stackOperations } from './stack/stack-api';
import { serviceCalls } from './service/service-api';
import type { StateDb } from './state/open-state';

/** The edges the core acts through; tests pass the real ones, pointed at test locations. */
export interface CoreDeps {
  dataDir: string;
  db: StateDb;
  docker: Docker;
  dockerEndpoint: DockerEndpoint;
  clock: Clock;
  /** The host preflight's probes (commands, files, ports); default: the real machine. */
  hostProbes?: HostProbes;
  /** Bundle trust folder and disk probe; default: the shipped keys and the real statfs. */
  bundle?: BundleOptions;
  /** Backup engine overrides (restic binary, host name); default: the shipped restic. */
  backupOptions?: BackupOptions;
}

export interface Core {
  /** The one entry point of every face: validates, runs, and answers with an envelope. */
  dispatch(method: string, params: unknown): Promise<CallEnvelope>;
  operations: OperationHub;
  deps: CoreDeps;
}

export function createCore(deps: CoreDeps): Core {
  const operations = new OperationHub(deps.db, deps.clock);

  // Each capability folder contributes the handlers for its own methods of the contract.
  const calls: CallHandlers<CallMethodName> = {
    ...engineCalls(deps),
    ...operationsCalls(operations),
    ...settingsCalls(new SettingsStore(deps.db)),
    ...stackCalls(deps),
    ...hostCalls(deps),
    ...bundleCalls(deps),
    ...backupCalls(deps),
    ...serviceCalls(deps),
  };
  const bodies: OperationBodies<OperationMethodName> = {
    ...diagnosticsOperations(),
    ...diagnosticsBundleOperations(deps),
    // The upgrade's off-box safety snapshot goes through the backup engine (side effect at the edge).
    ...stackOperations(deps, { safetySnapshot: backupSafetySnapshot(deps) }),
    ...hostOperations(deps),
    ...bundleOperations(deps),
    ...backupOperations(deps),
  };

  async function run(method: MethodName, params: unknown): Promise<unknown> {
    const spec = METHODS[method];
    const parsed = spec.request.safeParse(params ?? {});
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw fail('INVALID_REQUEST', {}, fields);
    }
    if (spec.kind === 'operation') {
      const body = bodies[method as OperationMethodName] as (req: unknown, ctx: OperationContext) => Promise<unknown>;
      return { operationId: operations.start(method, parsed.data, (ctx) => body(parsed.data, ctx)) };
    }
    const handler = calls[method as CallMethodName] as (req: unknown) => unknown;
    // Validating our own answers keeps the contract honest: a drifted handler fails loudly in tests.
    return spec.response.parse(await handler(parsed.data));
  }

  return {
    operations,
    deps,
    async dispatch(method, params) {
      if (!isMethodName(method)) return { ok: false, error: apiError('UNKNOWN_METHOD', {}, method) };
      try {
        return { ok: true, result: await run(method, params) };
      } catch (err) {
        return { ok: false, error: toApiError(err) };
      }
    },
  };
}
