import { z } from 'zod';
import { SemVer } from './bundle';
import { ApiError } from './errors';
import { LocalizedText } from './i18n-text';
import { OperationId } from './operation';

/**
 * The stack: install an imported bundle, upgrade it with a safety backup and automatic
 * rollback, roll back by hand, run it, and see it. Every change is a journaled operation.
 */

export const StackName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a stack name of lower-case letters, digits, - and _');

export const StackConfig = z
  .object({
    /** The address the service port is published on (127.0.0.1 keeps it local). */
    bindAddress: z.union([z.ipv4(), z.literal('0.0.0.0')]).default('127.0.0.1'),
    httpPort: z.number().int().min(1).max(65535).default(8000),
    /** Off on hosts without the NVIDIA runtime: GPU reservations are dropped. */
    gpu: z.boolean().default(false),
    /**
     * Where the stack's data volumes live on the host (one folder per volume). Empty: Docker's
     * own data root. Hospitals point this at the disk or RAID set meant for patient data.
     */
    dataDir: z.string().regex(/^\/[^\0]*$/, 'an absolute path').max(500).optional(),
    /** Who the hospital calls about this installation (shown on the dashboard). */
    adminContact: z.string().max(200).default(''),
    /** Other non-secret variables of the bundle's env schema. */
    values: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).default({}),
  })
  .strict();
export type StackConfig = z.infer<typeof StackConfig>;

const HealthTimeout = z.number().int().min(5).max(3600).default(300);

export const StackInstallRequest = z
  .object({
    stack: StackName.default('medai'),
    bundleVersion: SemVer,
    config: StackConfig.default({ bindAddress: '127.0.0.1', httpPort: 8000, gpu: false, adminContact: '', values: {} }),
    /** Install although the host check failed; the reason is journaled. */
    overrideHostCheck: z.string().min(3).max(500).optional(),
    healthTimeoutS: HealthTimeout,
  })
  .strict();

export const StackServiceImage = z.object({ service: z.string(), image: z.string(), imageId: z.string() }).strict();

export const StackInstallResult = z
  .object({
    stack: StackName,
    version: SemVer,
    urls: z.array(z.string()),
    services: z.array(StackServiceImage),
    /** Where data lives: each named volume and its directory on the host. */
    data: z.array(z.object({ volume: z.string(), mountpoint: z.string() }).strict()),
    stackDir: z.string(),
    hostCheck: z.object({ worst: z.string(), runId: z.string().nullable(), overridden: z.string().nullable() }).strict(),
    durationMs: z.number().nonnegative(),
  })
  .strict();
export type StackInstallResult = z.infer<typeof StackInstallResult>;

export const StackPlanRequest = z.object({ stack: StackName.default('medai'), bundleVersion: SemVer }).strict();

export const StackServiceChange = z
  .object({
    service: z.string(),
    change: z.enum(['add', 'remove', 'update', 'unchanged']),
    imageFrom: z.string().nullable(),
    imageTo: z.string().nullable(),
    /** Which settings differ ("environment.LOG_LEVEL", "image", "ports"…); secret values are never shown. */
    configDiff: z.array(z.string()),
    migrates: z.boolean(),
  })
  .strict();
export type StackServiceChange = z.infer<typeof StackServiceChange>;

export const StackPlan = z
  .object({
    stack: StackName,
    fromVersion: SemVer,
    toVersion: SemVer,
    releaseNotes: LocalizedText,
    services: z.array(StackServiceChange),
    /** True when a changed service carries a database migration (the safety backup then matters). */
    migrations: z.boolean(),
  })
  .strict();
export type StackPlan = z.infer<typeof StackPlan>;

export const StackUpgradeRequest = StackPlanRequest.extend({ healthTimeoutS: HealthTimeout }).strict();

export const StackUpgradeResult = z
  .object({
    stack: StackName,
    fromVersion: SemVer,
    toVersion: SemVer,
    plan: StackPlan,
    safetyBackupDir: z.string(),
    /**
     * The off-box safety snapshot through the backup engine, present only when a backup
     * target is configured for this stack: its set id, or why it failed (the upgrade went on).
     */
    safetySnapshot: z.union([z.object({ targetId: z.string(), setId: z.string() }).strict(), z.object({ targetId: z.string(), error: ApiError }).strict()]).optional(),
    durationMs: z.number().nonnegative(),
  })
  .strict();
export type StackUpgradeResult = z.infer<typeof StackUpgradeResult>;

export const StackRollbackRequest = z
  .object({
    stack: StackName.default('medai'),
    toVersion: SemVer,
    /** Also put the database back as it was when that version was upgraded away from. */
    restoreDatabase: z.boolean().default(false),
    /** The stack name typed by the person, as confirmation. */
    confirm: z.string(),
    healthTimeoutS: HealthTimeout,
  })
  .strict();

export const StackRollbackResult = z
  .object({ stack: StackName, fromVersion: SemVer, toVersion: SemVer, databaseRestored: z.boolean(), safetyBackupDir: z.string().nullable(), durationMs: z.number().nonnegative() })
  .strict();
export type StackRollbackResult = z.infer<typeof StackRollbackResult>;

export const StackLifecycleRequest = z
  .object({ stack: StackName.default('medai'), action: z.enum(['start', 'stop', 'restart']), healthTimeoutS: HealthTimeout })
  .strict();
export const StackLifecycleResult = z.object({ stack: StackName, action: z.string(), services: z.array(z.string()) }).strict();

export const StackRef = z.object({ stack: StackName.default('medai') }).strict();

export const StackServiceStatus = z
  .object({
    service: z.string(),
    containerId: z.string().nullable(),
    state: z.string(),
    health: z.string().nullable(),
    restartCount: z.number().int(),
    cpuPercent: z.number().nullable(),
    memoryBytes: z.number().nullable(),
    memoryLimitBytes: z.number().nullable(),
    image: z.string(),
    version: z.string().nullable(),
  })
  .strict();
export type StackServiceStatus = z.infer<typeof StackServiceStatus>;

export const StackOpenOperation = z.object({ operationId: OperationId, kind: z.string(), fromVersion: z.string().nullable(), toVersion: z.string().nullable(), lastStep: z.string().nullable() }).strict();

export const StackStatus = z
  .object({
    stack: StackName,
    installed: z.boolean(),
    version: SemVer.nullable(),
    config: StackConfig.nullable(),
    openOperation: StackOpenOperation.nullable(),
    services: z.array(StackServiceStatus),
  })
  .strict();
export type StackStatus = z.infer<typeof StackStatus>;

export const StackLogsRequest = z
  .object({
    stack: StackName.default('medai'),
    service: z.string().optional(),
    tail: z.number().int().min(1).max(10_000).default(200),
    /** Unix seconds: only lines after this (what a follower asks for next). */
    since: z.number().int().nonnegative().optional(),
    filter: z.string().max(200).optional(),
  })
  .strict();
export const StackLogs = z.object({ lines: z.array(z.object({ service: z.string(), at: z.string(), text: z.string() }).strict()), until: z.number().int() }).strict();
export type StackLogs = z.infer<typeof StackLogs>;

export const StackUninstallRequest = z
  .object({
    stack: StackName.default('medai'),
    deleteData: z.boolean().default(false),
    /** Required when deleting data: the stack name typed by the person. */
    confirm: z.string().optional(),
  })
  .strict();
export const StackUninstallResult = z.object({ stack: StackName, containers: z.number().int(), networks: z.number().int(), volumesDeleted: z.number().int(), dataKept: z.boolean() }).strict();

export const StackHistoryEntry = z
  .object({
    version: SemVer,
    firstDeployedAt: z.string(),
    lastDeployedAt: z.string(),
    current: z.boolean(),
    imagesPresent: z.boolean(),
    safetyBackupAt: z.string().nullable(),
  })
  .strict();
export const StackHistory = z.array(StackHistoryEntry);

export const StackRecoverRequest = z.object({ stack: StackName.default('medai'), action: z.enum(['resume', 'rollback']), healthTimeoutS: HealthTimeout }).strict();
export const StackRecoverResult = z
  .object({ stack: StackName, recovered: OperationId, kind: z.string(), action: z.enum(['resume', 'rollback']), version: SemVer.nullable() })
  .strict();

const OperationStarted = z.object({ operationId: OperationId }).strict();
const op = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, result: Res) => ({ kind: 'operation', request, response: OperationStarted, result }) as const;
const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ kind: 'call', request, response }) as const;

/** Spread into METHODS (contract/methods.ts). */
export const STACK_METHODS = {
  'stack.install': op(StackInstallRequest, StackInstallResult),
  'stack.plan': call(StackPlanRequest, StackPlan),
  'stack.upgrade': op(StackUpgradeRequest, StackUpgradeResult),
  'stack.rollback': op(StackRollbackRequest, StackRollbackResult),
  'stack.lifecycle': op(StackLifecycleRequest, StackLifecycleResult),
  'stack.uninstall': op(StackUninstallRequest, StackUninstallResult),
  'stack.recover': op(StackRecoverRequest, StackRecoverResult),
  'stack.status': call(StackRef, StackStatus),
  'stack.history': call(StackRef, StackHistory),
  'stack.logs': call(StackLogsRequest, StackLogs),
} as const;
