import { z } from 'zod';
import { ApiError } from './errors';
import { OperationId } from './operation';

/** A target's name: also its folder name in the data dir and the label on its snapshots. */
export const TargetId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, up to 40');

const absolutePath = z.string().regex(/^\//, 'an absolute path');

/** Where a repository lives. Credentials are separate (TargetCredentials) and never echoed back. */
export const TargetLocation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), path: absolutePath }).strict(),
  z
    .object({
      kind: z.literal('sftp'),
      host: z.string().min(1).regex(/^[A-Za-z0-9.:-]+$/, 'a host name or IP address'),
      port: z.number().int().min(1).max(65535).default(22),
      user: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a user name'),
      path: absolutePath,
    })
    .strict(),
  z
    .object({
      kind: z.literal('s3'),
      /** http(s)://host[:port] of the S3 API (AWS, MinIO, Alibaba OSS, Tencent COS, Huawei OBS). */
      endpoint: z.string().regex(/^https?:\/\/[A-Za-z0-9.:-]+\/?$/, 'http(s)://host[:port]'),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, 'an S3 bucket name'),
      prefix: z.string().regex(/^[A-Za-z0-9._/-]*$/).default(''),
      region: z.string().optional(),
      /** Path-style suits MinIO and IP endpoints; dns suits AWS and most cloud stores. */
      bucketLookup: z.enum(['auto', 'path', 'dns']).default('auto'),
    })
    .strict(),
]);
export type TargetLocation = z.infer<typeof TargetLocation>;

/** Secrets: written to 0600 files in the data dir, redacted from every message. */
export const TargetCredentials = z
  .object({
    /** SFTP: an OpenSSH private key (PEM text). */
    sshPrivateKey: z.string().min(1).optional(),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
  })
  .strict();
export type TargetCredentials = z.infer<typeof TargetCredentials>;

export const TargetAddRequest = z
  .object({
    id: TargetId,
    location: TargetLocation,
    credentials: TargetCredentials.default({}),
    /** Only to connect an existing repository; a new one gets a generated password. */
    repositoryPassword: z.string().min(8).optional(),
  })
  .strict();

export const TargetUpdateRequest = z
  .object({ id: TargetId, location: TargetLocation.optional(), credentials: TargetCredentials.optional(), repositoryPassword: z.string().min(8).optional() })
  .strict();

export const BackupTarget = z
  .object({ id: TargetId, location: TargetLocation, repositoryId: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(), hasCredentials: z.boolean() })
  .strict();
export type BackupTarget = z.infer<typeof BackupTarget>;

/** Shown once when a repository is created: without this password the backups are unreadable. */
export const RecoverySheet = z
  .object({ targetId: TargetId, repository: z.string(), repositoryId: z.string(), password: z.string(), createdAt: z.string(), text: z.string() })
  .strict();
export type RecoverySheet = z.infer<typeof RecoverySheet>;

export const TargetAddResult = z.object({ target: BackupTarget, recoverySheet: RecoverySheet.nullable() }).strict();

export const ConnectionTest = z
  .object({
    ok: z.boolean(),
    /** ready: repository opens with the stored password; absent: reachable, no repository yet. */
    repository: z.enum(['ready', 'absent', 'unknown']),
    elapsedMs: z.number(),
    freeBytes: z.number().nullable(),
    error: ApiError.nullable(),
  })
  .strict();
export type ConnectionTest = z.infer<typeof ConnectionTest>;

export const BackupComponentName = z.enum(['postgres', 'redis', 'milvus', 'models', 'config', 'manager']);
export type BackupComponentName = z.infer<typeof BackupComponentName>;

export const TableFacts = z.object({ rows: z.number().int(), checksum: z.string() }).strict();
/**
 * On a full PostgreSQL dump: what a later differential against it needs — the cluster's
 * system identifier, the dump snapshot's xmin (64-bit) and, per table with a single integer primary key, that key and
 * the column list (a table whose columns changed since is stored whole, not as a difference).
 */
export const PgBase = z
  .object({
    cluster: z.string(),
    xmin: z.string().regex(/^\d+$/),
    tables: z.record(z.string(), z.object({ key: z.string(), columns: z.string() }).strict()),
  })
  .strict();
export type PgBase = z.infer<typeof PgBase>;
/**
 * On a differential PostgreSQL item: its own dump holds the schema, sequences and every
 * table but `tables` whole; those tables are the base set's rows with the delta script
 * applied (rows changed since the base, and the keys that still exist).
 */
export const PgDifferential = z
  .object({
    baseSetId: z.string(),
    baseSnapshotId: z.string(),
    baseFile: z.string(),
    deltaSnapshotId: z.string(),
    deltaFile: z.string(),
    deltaBytes: z.number().int(),
    tables: z.array(z.object({ schema: z.string(), table: z.string() }).strict()),
  })
  .strict();
export type PgDifferential = z.infer<typeof PgDifferential>;
export const ComponentManifest = z
  .object({
    name: BackupComponentName,
    /** One entry per restic snapshot the component wrote. */
    items: z.array(
      z
        .object({
          key: z.string(),
          snapshotId: z.string(),
          file: z.string(),
          bytes: z.number().int(),
          sha256: z.string().nullable(),
          tables: z.record(z.string(), TableFacts).optional(),
          pgBase: PgBase.optional(),
          differential: PgDifferential.optional(),
        })
        .strict(),
    ),
    durationMs: z.number().int(),
    /** Components that stop services to copy them (Milvus with etcd): how long they were down, start of stop to searches answering. */
    outageMs: z.number().int().optional(),
  })
  .strict();
export type ComponentManifest = z.infer<typeof ComponentManifest>;

/** Written last into the repository: a set without it is incomplete and never listed as good. */
export const SnapshotManifest = z
  .object({
    format: z.literal(1),
    setId: z.string(),
    stackProject: z.string(),
    stackVersion: z.string(),
    managerVersion: z.string(),
    host: z.string(),
    profile: z.enum(['full', 'online']),
    startedAt: z.string(),
    endedAt: z.string(),
    durationMs: z.number().int(),
    components: z.array(ComponentManifest),
    totalBytes: z.number().int(),
    addedBytes: z.number().int(),
  })
  .strict();
export type SnapshotManifest = z.infer<typeof SnapshotManifest>;

/** A backup as people see it: the restic snapshots of one run, grouped by the run's set id. */
export const BackupSet = z
  .object({
    setId: z.string(),
    time: z.string(),
    status: z.enum(['good', 'incomplete']),
    /** The schedule that made it; null for manual and safety sets. */
    schedule: z.string().nullable(),
    trigger: z.string(),
    components: z.array(z.string()),
    snapshotIds: z.array(z.string()),
    /** Sets this one needs to be restored (the full a differential PostgreSQL dump is based on): kept as long as it is. */
    bases: z.array(z.string()).optional(),
    manifest: SnapshotManifest.nullable(),
  })
  .strict();
export type BackupSet = z.infer<typeof BackupSet>;

/**
 * Keep rules beyond each schedule's own `keepDays`: the newest `last` good sets are always
 * kept, and sets made by hand (or as the safety copy before a restore) for `manualDays`.
 */
export const KeepRules = z
  .object({
    last: z.number().int().min(1).max(1000).default(3),
    manualDays: z.number().int().min(0).max(3660).default(30),
  })
  .strict();
export type KeepRules = z.infer<typeof KeepRules>;

export const Schedule = z
  .object({
    name: z.string().regex(/^[a-z0-9-]{1,32}$/),
    /** Five-field cron in the host's local time. */
    cron: z.string().min(9).max(100),
    /** full: every component, Milvus with its short outage; online: no outage (PostgreSQL, Redis, files). */
    profile: z.enum(['full', 'online']),
    enabled: z.boolean().default(true),
    /** Every set this schedule made is kept this many days, then removed at prune. */
    keepDays: z.number().int().min(1).max(3660),
  })
  .strict();
export type Schedule = z.infer<typeof Schedule>;

export const DEFAULT_SCHEDULES: Schedule[] = [
  { name: 'daily', cron: '0 2 * * *', profile: 'full', enabled: true, keepDays: 30 },
  { name: 'hourly', cron: '0 * * * *', profile: 'online', enabled: true, keepDays: 7 },
  /** The weekly restore drill of the newest good set (the agent knows this name). */
  { name: 'drill', cron: '0 4 * * 0', profile: 'online', enabled: true, keepDays: 1 },
];

export const RetentionPreview = z
  .object({
    keep: z.array(z.object({ setId: z.string(), time: z.string(), reasons: z.array(z.string()) }).strict()),
    remove: z.array(z.object({ setId: z.string(), time: z.string(), status: z.enum(['good', 'incomplete']) }).strict()),
  })
  .strict();
export type RetentionPreview = z.infer<typeof RetentionPreview>;

export const BackupRunRequest = z
  .object({ targetId: TargetId, profile: z.enum(['full', 'online']).default('full'), components: z.array(BackupComponentName).optional() })
  .strict();

export const BackupRunResult = z
  .object({ setId: z.string(), manifest: SnapshotManifest })
  .strict();

export const RestoreRequest = z
  .object({
    targetId: TargetId,
    setId: z.string().min(1),
    components: z.array(BackupComponentName).optional(),
    mode: z.enum(['in-place', 'drill']),
    /** In place only: the stack's name, typed by the person, as the confirmation. */
    confirm: z.string().optional(),
  })
  .strict();

export const RestoreReport = z
  .object({
    setId: z.string(),
    mode: z.enum(['in-place', 'drill']),
    safetySetId: z.string().nullable(),
    passed: z.boolean(),
    components: z.array(
      z
        .object({
          name: BackupComponentName,
          checks: z.array(z.object({ item: z.string(), expected: z.string(), actual: z.string(), ok: z.boolean() }).strict()),
        })
        .strict(),
    ),
    durationMs: z.number().int(),
  })
  .strict();
export type RestoreReport = z.infer<typeof RestoreReport>;

export const BackupRun = z
  .object({
    id: z.string(),
    targetId: z.string(),
    kind: z.string(),
    trigger: z.string(),
    scheduleName: z.string().nullable(),
    state: z.enum(['running', 'succeeded', 'failed', 'interrupted', 'missed']),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    setId: z.string().nullable(),
    summary: z.unknown().nullable(),
    error: ApiError.nullable(),
  })
  .strict();
export type BackupRun = z.infer<typeof BackupRun>;

/** How the backup capability finds the stack: Compose labels the stack engine writes. */
export const StackBinding = z
  .object({
    project: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/).default('medai'),
    version: z.string().default('0.0.0'),
    services: z
      .object({
        postgres: z.string().default('postgres'),
        redis: z.string().default('redis'),
        /** Milvus and the etcd holding its metadata, copied together (full profile); null: the stack has no Milvus. */
        milvus: z.string().nullable().default(null),
        etcd: z.string().default('etcd'),
      })
      .strict()
      .default({ postgres: 'postgres', redis: 'redis', milvus: null, etcd: 'etcd' }),
    /** Stack config (env file, compose file, bundle version); backed up as files. */
    configDir: z.string().nullable().default(null),
    modelsDir: z.string().nullable().default(null),
  })
  .strict();
export type StackBinding = z.infer<typeof StackBinding>;

export const AlertConfig = z
  .object({
    webhooks: z.array(z.object({ url: z.string().url(), format: z.enum(['json', 'wecom', 'dingtalk']) }).strict()).default([]),
    desktop: z.boolean().default(true),
  })
  .strict();
export type AlertConfig = z.infer<typeof AlertConfig>;

/**
 * How old the newest good backup may be (rule in backup/schedule/staleness.ts): stale when
 * ageMs > allowedMs = intervalMs of the most frequent enabled backup schedule + graceMs,
 * graceMs = min(intervalMs, 1 h). `since`: the newest good backup's start, or the target's
 * creation when it never had one.
 */
export const BackupStaleness = z
  .object({
    schedule: z.string(),
    intervalMs: z.number(),
    graceMs: z.number(),
    allowedMs: z.number(),
    since: z.string(),
    ageMs: z.number(),
    stale: z.boolean(),
  })
  .strict();
export type BackupStaleness = z.infer<typeof BackupStaleness>;

/** Why a target needs attention: the dashboard's banner shows one line per problem. */
export const BackupProblem = z.enum(['stale', 'last-run-failed']);
export type BackupProblem = z.infer<typeof BackupProblem>;

/** What the dashboard shows per target: last good backup, next run, last drill, staleness. */
export const BackupStatus = z
  .object({
    targets: z.array(
      z
        .object({
          targetId: z.string(),
          lastGood: z.object({ setId: z.string(), time: z.string() }).strict().nullable(),
          /** The newest backup run, whatever its outcome; size and duration when it finished well. */
          lastRun: z
            .object({
              state: z.string(),
              at: z.string(),
              code: z.string().nullable(),
              endedAt: z.string().nullable(),
              durationMs: z.number().nullable(),
              totalBytes: z.number().nullable(),
              addedBytes: z.number().nullable(),
              setId: z.string().nullable(),
              schedule: z.string().nullable(),
            })
            .strict()
            .nullable(),
          /** The soonest run of any enabled schedule (the drill included). */
          nextRun: z.object({ schedule: z.string(), at: z.string() }).strict().nullable(),
          /** Every enabled schedule's next run, soonest first. */
          nextRuns: z.array(z.object({ schedule: z.string(), cron: z.string(), at: z.string() }).strict()),
          lastDrill: z.object({ at: z.string(), passed: z.boolean(), setId: z.string().nullable(), code: z.string().nullable() }).strict().nullable(),
          /** The newest good backup is older than the most frequent schedule allows. */
          stale: z.boolean(),
          staleness: BackupStaleness.nullable(),
          problems: z.array(BackupProblem),
        })
        .strict(),
    ),
  })
  .strict();
export type BackupStatus = z.infer<typeof BackupStatus>;

export const TargetRef = z.object({ targetId: TargetId }).strict();
export const VerifyRequest = z.object({ targetId: TargetId, readDataPercent: z.number().min(0).max(100).default(10) }).strict();

const OperationStartedShape = z.object({ operationId: OperationId }).strict();
const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ kind: 'call', request, response }) as const;
const operation = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, result: Res) =>
  ({ kind: 'operation', request, response: OperationStartedShape, result }) as const;

/** The backup capability's methods, spread into METHODS. */
export const BACKUP_METHODS = {
  'backup.targets.list': call(z.object({}).strict(), z.array(BackupTarget)),
  /** Creates the repository (or connects an existing one); the recovery sheet is returned once. */
  'backup.targets.add': call(TargetAddRequest, TargetAddResult),
  'backup.targets.update': call(TargetUpdateRequest, BackupTarget),
  /** Forgets the target in the manager; its repository and snapshots stay where they are. */
  'backup.targets.remove': call(TargetRef, z.object({ removed: z.literal(true) }).strict()),
  'backup.targets.test': call(TargetRef, ConnectionTest),
  'backup.snapshots.list': call(TargetRef, z.array(BackupSet)),
  'backup.schedules.get': call(TargetRef, z.array(Schedule)),
  'backup.schedules.set': call(z.object({ targetId: TargetId, schedules: z.array(Schedule).max(20) }).strict(), z.array(Schedule)),
  'backup.keep.get': call(TargetRef, KeepRules),
  'backup.keep.set': call(z.object({ targetId: TargetId, keep: KeepRules }).strict(), KeepRules),
  /** Which sets the keep rules would keep and delete now; deletes nothing. */
  'backup.retention.preview': call(TargetRef, RetentionPreview),
  'backup.history': call(z.object({ targetId: TargetId.optional(), kind: z.string().optional(), limit: z.number().int().min(1).max(1000).default(100) }).strict(), z.array(BackupRun)),
  'backup.status': call(z.object({}).strict(), BackupStatus),
  'backup.stack.get': call(z.object({}).strict(), StackBinding),
  'backup.stack.set': call(StackBinding.partial(), StackBinding),
  'backup.alerts.get': call(z.object({}).strict(), AlertConfig),
  'backup.alerts.set': call(AlertConfig, AlertConfig),
  /** Clears restic's stale locks (a host that lost power mid-backup). */
  'backup.unlock': call(TargetRef, z.object({ unlocked: z.literal(true) }).strict()),
  'backup.run': operation(BackupRunRequest, BackupRunResult),
  'backup.verify': operation(VerifyRequest, z.object({ ok: z.literal(true), output: z.string() }).strict()),
  'backup.prune': operation(TargetRef, RetentionPreview),
  'backup.restore': operation(RestoreRequest, RestoreReport),
} as const;
