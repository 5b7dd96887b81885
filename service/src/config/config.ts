import { z } from 'zod';
import { fail, type FieldIssue } from '../errors.js';

// Names follow the product spec so the stack's .env drives the service unchanged.
const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const urlWith = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

export const configSchema = z.object({
  DATABASE_URL: urlWith(['postgres:', 'postgresql:']),
  DB_POOL_SIZE: intFrom(1, 200).default(10),
  DB_MAX_OVERFLOW: intFrom(0, 200).default(10),
  REDIS_URL: urlWith(['redis:', 'rediss:']),
  REDIS_PASSWORD: z.string().optional(),
  MILVUS_HOST: z.string().min(1, 'must name the Milvus host'),
  MILVUS_PORT: intFrom(1, 65535).default(19530),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  LOG_FILE: z.string().optional(),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters (generate one: openssl rand -hex 32)'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (generate one: openssl rand -hex 32)'),
  WORKER_THREADS: intFrom(1, 256).default(2),
  MAX_CONCURRENT_REQUESTS: intFrom(1, 100_000).default(64),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: urlWith(['http:', 'https:']).optional(),
  OPENAI_MODEL: z.string().optional(),
  // Service-specific knobs; defaults suit the stack's container.
  HOST: z.string().default('0.0.0.0'),
  PORT: intFrom(1, 65535).default(8000),
  MODELS_DIR: z.string().default('/models'),
  MODEL_NAME: z.string().default('all-MiniLM-L6-v2'),
  EXECUTION_PROVIDER: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
  MAX_BATCH_SIZE: intFrom(1, 1024).default(32),
  BATCH_WAIT_MS: intFrom(0, 1000).default(4),
  MAX_BODY_BYTES: intFrom(1024, 256 * 1024 * 1024).default(2 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: intFrom(1, 10_000_000).default(6000),
  EMBEDDING_CACHE_TTL_SECONDS: intFrom(0, 365 * 24 * 3600).default(7 * 24 * 3600),
  AUDIT_STORE_BODIES: bool.default(false),
  MILVUS_COLLECTION_PREFIX: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only').default('medai_chunks'),
  DEPENDENCY_TIMEOUT_MS: intFrom(100, 60_000).default(2000),
});

export type Config = z.infer<typeof configSchema>;

/** Validates the whole environment at once so an operator sees every problem in one start. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const parsed = configSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  const fields: FieldIssue[] = parsed.error.issues.map((i) => ({
    field: String(i.path[0] ?? '?'),
    message: i.code === 'invalid_type' && picked[String(i.path[0])] === undefined ? 'is required' : i.message,
  }));
  throw fail(
    'CONFIG_INVALID',
    500,
    `invalid configuration: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
    { fields, remedy: 'Set the variables above in the stack .env (see docs/en/operations/service.md).' },
  );
}

/** The pool ceiling: DB_POOL_SIZE steady connections plus DB_MAX_OVERFLOW burst connections. */
export function poolMax(c: Config): number {
  return c.DB_POOL_SIZE + c.DB_MAX_OVERFLOW;
}
