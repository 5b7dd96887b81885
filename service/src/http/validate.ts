import type { z } from 'zod';
import { fail } from '../errors.js';

/** Parses a request part with zod; every problem becomes a field-level entry of one 400. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ field: i.path.length ? i.path.join('.') : where, message: i.message }));
  throw fail('VALIDATION_FAILED', 400, `invalid ${where}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { fields });
}
