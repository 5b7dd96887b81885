import { loadConfig, configSchema } from './config/config.js';
import { createApiKey, listApiKeys, revokeApiKey } from './auth/api-keys.js';
import { migrate, currentVersion, SCHEMA_VERSION } from './db/migrations.js';
import { createPool } from './db/pool.js';
import { ServiceError } from './errors.js';

// Operator commands run inside the service container by the manager:
//   medai-service migrate | schema | keys create <name> | keys revoke <id> | keys list
// Output is one JSON object on stdout; failures print {error:{code,message}} and exit 1.
// Only the variables these commands need are required.
const dbConfig = configSchema.pick({ DATABASE_URL: true, DB_POOL_SIZE: true, DB_MAX_OVERFLOW: true, DEPENDENCY_TIMEOUT_MS: true, SECRET_KEY: true });

function usage(): never {
  throw new ServiceError('USAGE', 2, 'usage: medai-service migrate | schema | keys create <name> | keys revoke <id> | keys list');
}

async function main(argv: string[]): Promise<unknown> {
  const [cmd, sub, arg] = argv;
  if (!cmd) usage();
  // Reuse the server's validation messages, restricted to what the CLI needs.
  const env = Object.fromEntries(Object.keys(dbConfig.shape).map((k) => [k, process.env[k]]).filter(([, v]) => v));
  const parsed = dbConfig.safeParse(env);
  if (!parsed.success) loadConfig({ ...process.env, REDIS_URL: 'redis://x', MILVUS_HOST: 'x', JWT_SECRET: 'x'.repeat(32), ...env });
  const c = dbConfig.parse(env);
  const db = createPool(c);
  try {
    if (cmd === 'migrate') return await migrate(db);
    if (cmd === 'schema') return { database: await currentVersion(db), service: SCHEMA_VERSION };
    if (cmd === 'keys' && sub === 'create' && arg) return await createApiKey(db, c.SECRET_KEY, arg);
    if (cmd === 'keys' && sub === 'revoke' && arg) {
      const revoked = await revokeApiKey(db, arg);
      if (!revoked) throw new ServiceError('KEY_NOT_FOUND', 1, `no active key ${arg}`);
      return { id: arg, revoked: true };
    }
    if (cmd === 'keys' && sub === 'list') return { keys: await listApiKeys(db) };
    return usage();
  } finally {
    await db.end();
  }
}

main(process.argv.slice(2)).then(
  (out) => {
    process.stdout.write(`${JSON.stringify(out)}\n`);
  },
  (e: unknown) => {
    const err = e instanceof ServiceError ? e.toJSON() : { error: { code: 'CLI_FAILED', message: String(e) } };
    process.stdout.write(`${JSON.stringify(err)}\n`);
    process.exit(e instanceof ServiceError && e.status === 2 ? 2 : 1);
  },
);
