import { z } from 'zod';
import { ApiError } from './errors';

/**
 * The stack's inference service (medical-ai-service) as the manager sees it: readiness per
 * dependency, the model and execution provider, request figures from /metrics, and API
 * keys managed through the service container's own CLI (the database stays its own).
 */
const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ kind: 'call', request, response }) as const;

export const ServiceUrl = z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8000');

/** A Docker container name; also names the manager's metrics-key file, so no slashes. */
const ContainerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/);

export const ServiceStatusRequest = z
  .object({
    url: ServiceUrl,
    /** An API key of the service; without one, /metrics figures are left out. */
    apiKey: z.string().min(1).max(200).optional(),
    /** The service's container: without an apiKey, the metrics key the manager holds for it is used. */
    container: ContainerName.optional(),
  })
  .strict();

/** The metrics key the manager holds for one service container (never the key itself). */
export const ManagedMetricsKey = z.object({ container: z.string(), id: z.string(), name: z.string(), createdAt: z.string() }).strict();
export type ManagedMetricsKey = z.infer<typeof ManagedMetricsKey>;

export const ServiceDependency = z
  .object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional(), code: z.string().optional() })
  .passthrough();

export const ServiceMetrics = z
  .object({
    requestsTotal: z.number(),
    errorsTotal: z.number(),
    /** Mean over the process lifetime; the Dashboard derives rates from successive polls. */
    latencyMeanMs: z.number().nullable(),
    latencyP50Ms: z.number().nullable(),
    latencyP99Ms: z.number().nullable(),
    batchSizeMean: z.number().nullable(),
    queueDepth: z.number(),
    inflight: z.number(),
    rejectedTotal: z.number(),
    residentMemoryBytes: z.number().nullable(),
  })
  .strict();
export type ServiceMetrics = z.infer<typeof ServiceMetrics>;

export const ServiceStatus = z
  .object({
    url: z.string(),
    checkedAt: z.string(),
    alive: z.boolean(),
    ready: z.boolean(),
    version: z.string().nullable(),
    dependencies: z.record(z.string(), ServiceDependency),
    model: z.object({ name: z.string(), dimension: z.number(), provider: z.string(), providerNote: z.string().optional() }).strict().nullable(),
    metrics: ServiceMetrics.nullable(),
    /** Only when a container was named: the manager's metrics key for it, or null when it holds none. */
    managedMetricsKey: ManagedMetricsKey.nullable().optional(),
    /** Why metrics is null although the service answered (the manager's key was refused); readiness stays valid. */
    metricsError: ApiError.nullable().optional(),
  })
  .strict();
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const ServiceContainer = ContainerName.default('medai-medical-ai-service-1');

export const ServiceKeyCreateRequest = z.object({ container: ServiceContainer, name: z.string().min(1).max(100) }).strict();
export const ServiceKeyCreated = z.object({ id: z.string(), name: z.string(), key: z.string() }).strict();
export const ServiceKeyRevokeRequest = z.object({ container: ServiceContainer, id: z.string().regex(/^[0-9a-f]{16}$/) }).strict();
export const ServiceKeyRevoked = z.object({ id: z.string(), revoked: z.literal(true) }).strict();
export const ServiceKeyListRequest = z.object({ container: ServiceContainer }).strict();
export const ServiceKeyInfo = z
  .object({ id: z.string(), name: z.string(), created_at: z.string(), revoked_at: z.string().nullable(), last_used_at: z.string().nullable() })
  .strict();
export const ServiceMigrateRequest = z.object({ container: ServiceContainer }).strict();
export const ServiceMigrateResult = z.object({ from: z.number().int(), to: z.number().int(), applied: z.array(z.number().int()) }).strict();

export const ServiceMetricsKeyRequest = z.object({ container: ServiceContainer }).strict();
/** revoked: false when the service no longer knew the key as active (someone revoked it already). */
export const ServiceMetricsKeyDisabled = z.object({ container: z.string(), id: z.string().nullable(), revoked: z.boolean() }).strict();

export const SERVICE_METHODS = {
  'service.status': call(ServiceStatusRequest, ServiceStatus),
  'service.keys.create': call(ServiceKeyCreateRequest, ServiceKeyCreated),
  'service.keys.revoke': call(ServiceKeyRevokeRequest, ServiceKeyRevoked),
  'service.keys.list': call(ServiceKeyListRequest, z.array(ServiceKeyInfo)),
  /** Runs the service's migrations in its container (the stack does this at install and upgrade). */
  'service.migrate': call(ServiceMigrateRequest, ServiceMigrateResult),
  /** Creates a key for the manager itself (kept 0600 in its data dir) so service.status reads /metrics without one given; replaces an older one. */
  'service.metricsKey.enable': call(ServiceMetricsKeyRequest, ManagedMetricsKey),
  /** Revokes the manager's key in the service and deletes its file. */
  'service.metricsKey.disable': call(ServiceMetricsKeyRequest, ServiceMetricsKeyDisabled),
} as const;
