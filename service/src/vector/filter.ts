import { fail } from '../errors.js';

export interface SearchFilter {
  documentIds?: string[];
  source?: string;
  lang?: string;
  metadata?: Record<string, string | number | boolean>;
}

const KEY = /^[A-Za-z0-9_]{1,64}$/;

// Milvus boolean expressions are built only from validated keys and JSON-escaped literals,
// so request values can never change the shape of the expression.
function lit(v: string | number | boolean): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw fail('VALIDATION_FAILED', 400, 'filter numbers must be finite', { fields: [{ field: 'filter', message: 'numbers must be finite' }] });
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

export function buildExpr(f: SearchFilter | undefined): string {
  if (!f) return '';
  const parts: string[] = [];
  if (f.documentIds && f.documentIds.length > 0) parts.push(`doc_id in [${f.documentIds.map(lit).join(', ')}]`);
  if (f.source !== undefined) parts.push(`source == ${lit(f.source)}`);
  if (f.lang !== undefined) parts.push(`lang == ${lit(f.lang)}`);
  for (const [k, v] of Object.entries(f.metadata ?? {})) {
    if (!KEY.test(k)) throw fail('VALIDATION_FAILED', 400, `filter.metadata key ${k} is not allowed`, { fields: [{ field: `filter.metadata.${k}`, message: 'keys are 1–64 letters, digits or _' }] });
    parts.push(`metadata[${JSON.stringify(k)}] == ${lit(v)}`);
  }
  return parts.join(' && ');
}
