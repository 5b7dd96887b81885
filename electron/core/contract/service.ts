import { z } from 'zod';

/**
 * The stack's inference service (medical-ai-service) as the manager sees it: readiness per
 * dependency, the model and execution provider, request figures from /metrics, and API
 * keys managed through the service container's own CLI (the database stays its own).
 */
const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ kind: 'call', request, response }) as const;

export const ServiceUrl = z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8000');

export const ServiceStatusRequest = z
  .object({
    url: ServiceUrl,
    /** An API key of the service; without one, /metrics figures are left out. */
    apiKey: z.string().min(1).max(200).optional(),
  })
  .strict();

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
  })
  .strict();
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const ServiceContainer = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/).default('medai-medical-ai-service-1');

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

export const SERVICE_METHODS = {
  'service.status': call(ServiceStatusRequest, ServiceStatus),
  'service.keys.create': call(ServiceKeyCreateRequest, ServiceKeyCreated),
  'service.keys.revoke': call(ServiceKeyRevokeRequest, ServiceKeyRevoked),
  'service.keys.list': call(ServiceKeyListRequest, z.array(ServiceKeyInfo)),
  /** Runs the service's migrations in its container (the stack does this at install and upgrade). */
  'service.migrate': call(ServiceMigrateRequest, ServiceMigrateResult),
} as const;
