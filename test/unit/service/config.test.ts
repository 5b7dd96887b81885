import { describe, expect, it } from 'vitest';
import { loadConfig, poolMax } from '../../../service/src/config/config.js';
import { ServiceError } from '../../../service/src/errors.js';

const good = {
  DATABASE_URL: 'postgres://u:p@db:5432/medai',
  REDIS_URL: 'redis://redis:6379/0',
  MILVUS_HOST: 'milvus',
  SECRET_KEY: 's'.repeat(32),
  JWT_SECRET: 'j'.repeat(32),
};

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const c = loadConfig({ ...good, DB_POOL_SIZE: '5', DB_MAX_OVERFLOW: '3', AUDIT_STORE_BODIES: 'true' });
    expect(c.MILVUS_PORT).toBe(19530);
    expect(c.MAX_CONCURRENT_REQUESTS).toBe(64);
    expect(c.AUDIT_STORE_BODIES).toBe(true);
    expect(poolMax(c)).toBe(8);
  });

  it('reports every bad or missing variable at once, by name, without echoing secrets', () => {
    let err: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', REDIS_URL: 'redis://r', SECRET_KEY: 'short-secret-value', WORKER_THREADS: 'many', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ServiceError);
    const e = err as ServiceError;
    expect(e.code).toBe('CONFIG_INVALID');
    const fields = Object.fromEntries(e.extra.fields!.map((f) => [f.field, f.message]));
    expect(Object.keys(fields).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL', 'MILVUS_HOST', 'SECRET_KEY', 'WORKER_THREADS'].sort());
    expect(fields.JWT_SECRET).toBe('is required');
    expect(fields.SECRET_KEY).toContain('at least 32');
    expect(fields.DATABASE_URL).toContain('postgres://');
    expect(e.message).not.toContain('short-secret-value');
  });

  it('treats empty strings as unset', () => {
    expect(() => loadConfig({ ...good, MILVUS_HOST: '' })).toThrow(/MILVUS_HOST is required/);
    expect(loadConfig({ ...good, OPENAI_BASE_URL: '' }).OPENAI_BASE_URL).toBeUndefined();
  });
});
