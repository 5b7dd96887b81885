import { z } from 'zod';
import { Language, LocalizedText } from './i18n-text';
import { OperationId } from './operation';

/**
 * Host preflight: whether this server can run the stack, and what to do if not.
 * Check ids are stable (docs/troubleshooting, support scripts and `--only` key off them):
 * rename nothing, only add.
 */
export const HOST_CHECK_IDS = [
  'system.os',
  'system.kernel',
  'system.arch',
  'system.cgroup',
  'system.cpu',
  'system.memory',
  'system.time-sync',
  'system.security-module',
  'disk.docker-root-space',
  'disk.docker-root-inodes',
  'disk.data-dir-space',
  'disk.data-dir-inodes',
  'disk.overlay2-support',
  'docker.engine',
  'docker.version',
  'docker.storage-driver',
  'docker.cgroup-driver',
  'docker.log-rotation',
  'docker.live-restore',
  'docker.address-pools',
  'docker.ports',
  'gpu.nvidia',
  'gpu.driver',
  'gpu.memory',
  'gpu.ecc',
  'gpu.persistence',
  'gpu.temperature',
  'gpu.mig',
  'gpu.container-runtime',
  'gpu.smoke',
  'airgap.images',
  'airgap.proxy',
] as const;
export type HostCheckId = (typeof HOST_CHECK_IDS)[number];

export const HOST_CHECK_CATEGORIES = ['system', 'disk', 'docker', 'gpu', 'airgap'] as const;
export const HostCheckCategory = z.enum(HOST_CHECK_CATEGORIES);
export type HostCheckCategory = z.infer<typeof HostCheckCategory>;

/** Ordered from best to worst: the report's verdict is the worst of its checks. */
export const HOST_CHECK_RESULTS = ['pass', 'warn', 'fail', 'error'] as const;
export const HostCheckResult = z.enum(HOST_CHECK_RESULTS);
export type HostCheckResult = z.infer<typeof HostCheckResult>;

export const MeasuredValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type MeasuredValue = z.infer<typeof MeasuredValue>;

export const HostCheckItem = z
  .object({
    id: z.enum(HOST_CHECK_IDS),
    category: HostCheckCategory,
    title: LocalizedText,
    result: HostCheckResult,
    /** The raw measured value (bytes, counts, versions): what support compares between runs. */
    measured: MeasuredValue,
    /** The same for people, e.g. "23.5 GiB" or "overlay2 (d_type: true)". */
    measuredText: z.string(),
    threshold: LocalizedText.nullable(),
    message: LocalizedText,
    /** What a hospital IT admin does about a warn/fail/error; null when nothing is needed. */
    remedy: LocalizedText.nullable(),
    /** Further measured facts (per GPU, per path...). */
    details: z.record(z.string(), MeasuredValue).optional(),
  })
  .strict();
export type HostCheckItem = z.infer<typeof HostCheckItem>;

const Port = z.number().int().min(1).max(65535);

/** What the stack needs from the host; from the imported bundle when there is one. */
export const HostRequirements = z
  .object({
    /** A bundle file named in the request (before import), the newest imported bundle, or the documented defaults. */
    source: z.enum(['bundle-file', 'imported-bundle', 'defaults']),
    bundleVersion: z.string().nullable(),
    /** Host ports the stack publishes. */
    ports: z.array(Port),
    images: z.array(z.object({ ref: z.string(), bytes: z.number().nonnegative() }).strict()),
    /** What the images take once loaded: their sum, or an estimate before a bundle is known. */
    imagesBytes: z.number().nonnegative(),
    /** Expected size of the stack's volumes (databases, vector index, models). */
    volumesBytes: z.number().nonnegative(),
    /** Backups kept on the manager's data disk. */
    backupCopies: z.number().int().nonnegative(),
    /** The inference service's image: the GPU smoke test runs it with --gpus. */
    serviceImage: z.string().nullable(),
    /** The CUDA version the service is built against, and the oldest driver that runs it. */
    cudaBuild: z.string(),
    minDriverVersion: z.string(),
  })
  .strict();
export type HostRequirements = z.infer<typeof HostRequirements>;

const CountByResult = z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int(), error: z.number().int() }).strict();

export const HostCheckRunId = z.string().regex(/^hc_[0-9a-z]{8,40}$/, 'a check run id looks like hc_…');

export const HostCheckReport = z
  .object({
    runId: HostCheckRunId,
    operationId: OperationId.nullable(),
    startedAt: z.string(),
    finishedAt: z.string(),
    durationMs: z.number().nonnegative(),
    hostname: z.string(),
    worst: HostCheckResult,
    counts: CountByResult,
    only: z.array(z.string()).nullable(),
    requirements: HostRequirements,
    checks: z.array(HostCheckItem),
  })
  .strict();
export type HostCheckReport = z.infer<typeof HostCheckReport>;

export const HostCheckRunSummary = HostCheckReport.pick({
  runId: true,
  operationId: true,
  startedAt: true,
  durationMs: true,
  hostname: true,
  worst: true,
  counts: true,
  only: true,
}).strict();
export type HostCheckRunSummary = z.infer<typeof HostCheckRunSummary>;

const isKnownSelector = (s: string): boolean =>
  (HOST_CHECK_IDS as readonly string[]).includes(s) || (HOST_CHECK_CATEGORIES as readonly string[]).includes(s);

export const HostCheckRequest = z
  .object({
    /** Check ids or whole categories ("docker", "gpu.driver"). */
    only: z
      .array(z.string().refine(isKnownSelector, { error: (iss) => `unknown check "${String(iss.input)}"; known: ${[...HOST_CHECK_CATEGORIES, ...HOST_CHECK_IDS].join(', ')}` }))
      .min(1)
      .max(64)
      .optional(),
    /** Host ports to check instead of the stack's own (e.g. a port changed in the install settings). */
    ports: z.array(Port).min(1).max(64).optional(),
    /** An offline bundle file (on the machine running the core) to size the checks by, before it is imported. */
    bundle: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type HostCheckRequest = z.infer<typeof HostCheckRequest>;

const OperationStarted = z.object({ operationId: OperationId }).strict();

/** Spread into METHODS (contract/methods.ts). Same shapes as its call()/operation() helpers. */
export const HOST_METHODS = {
  /** Runs the preflight; progress is step i of n per fact source and check; the result is the stored report. */
  'host.check': { kind: 'operation', request: HostCheckRequest, response: OperationStarted, result: HostCheckReport },
  'host.checkRuns': {
    kind: 'call',
    request: z.object({ limit: z.number().int().min(1).max(500).default(20) }).strict(),
    response: z.array(HostCheckRunSummary),
  },
  'host.checkRun': { kind: 'call', request: z.object({ runId: HostCheckRunId }).strict(), response: HostCheckReport },
  /** A self-contained printable HTML report of a stored run (print to PDF from the browser). */
  'host.checkReportHtml': {
    kind: 'call',
    request: z.object({ runId: HostCheckRunId, lang: Language }).strict(),
    response: z.object({ fileName: z.string(), html: z.string() }).strict(),
  },
} as const;

/** Selects the checks a request asks for: ids, or all checks of a category. */
export function selectHostChecks(only: readonly string[] | undefined): HostCheckId[] {
  if (!only?.length) return [...HOST_CHECK_IDS];
  return HOST_CHECK_IDS.filter((id) => only.includes(id) || only.includes(id.split('.')[0]!));
}

export const worstResult = (results: readonly HostCheckResult[]): HostCheckResult =>
  results.reduce<HostCheckResult>((w, r) => (HOST_CHECK_RESULTS.indexOf(r) > HOST_CHECK_RESULTS.indexOf(w) ? r : w), 'pass');
