import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { fail } from '../errors.js';

// Keys look like mk_<id>_<secret>. Only HMAC-SHA256(SECRET_KEY, key) is stored, so a stolen
// database does not yield usable keys and the id lets us find the row without scanning.
const KEY_RE = /^mk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function hashKey(pepper: string, key: string): string {
  return createHmac('sha256', pepper).update(key).digest('hex');
}

export interface CreatedKey {
  id: string;
  name: string;
  key: string;
}

export async function createApiKey(db: pg.Pool, pepper: string, name: string): Promise<CreatedKey> {
  if (!/^[\p{L}\p{N} ._@-]{1,100}$/u.test(name)) throw fail('KEY_NAME_INVALID', 400, 'key name: 1–100 letters, digits, space, . _ @ -');
  const id = randomBytes(8).toString('hex');
  const key = `mk_${id}_${randomBytes(32).toString('base64url')}`;
  await db.query('INSERT INTO api_keys (id, name, key_hash) VALUES ($1, $2, $3)', [id, name, hashKey(pepper, key)]);
  return { id, name, key };
}

export async function revokeApiKey(db: pg.Pool, id: string): Promise<boolean> {
  const r = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  return (r.rowCount ?? 0) > 0;
}

export interface KeyInfo {
  id: string;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export async function listApiKeys(db: pg.Pool): Promise<KeyInfo[]> {
  return (await db.query<KeyInfo>('SELECT id, name, created_at, revoked_at, last_used_at FROM api_keys ORDER BY created_at')).rows;
}

export function parseKey(key: string): string | undefined {
  return KEY_RE.exec(key)?.[1];
}

/** Verifies a presented key; returns its id or undefined. Hits are cached briefly so auth is not a query per request. */
export class ApiKeyVerifier {
  private cache = new Map<string, { id: string; until: number }>();
  private lastTouched = new Map<string, number>();

  constructor(
    private readonly db: pg.Pool,
    private readonly pepper: string,
    private readonly ttlMs = 10_000,
  ) {}

  async verify(key: string): Promise<string | undefined> {
    const id = parseKey(key);
    if (!id) return undefined;
    const h = hashKey(this.pepper, key);
    const hit = this.cache.get(h);
    const now = Date.now();
    if (hit && hit.until > now) return hit.id;
    const r = await this.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [id]);
    const stored = r.rows[0]?.key_hash;
    if (!stored || !timingSafeEqual(Buffer.from(stored, 'hex'), Buffer.from(h, 'hex'))) {
      this.cache.delete(h);
      return undefined;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(h, { id, until: now + this.ttlMs });
    if ((this.lastTouched.get(id) ?? 0) < now - 60_000) {
      this.lastTouched.set(id, now);
      this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]).catch(() => undefined);
    }
    return id;
  }
}
