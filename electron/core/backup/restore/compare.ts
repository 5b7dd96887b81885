import type { ComponentManifest, RestoreReport } from '../../contract';
import type { TableFacts } from '../snapshot/pg-facts';

type Check = RestoreReport['components'][number]['checks'][number];

/** Row counts and checksums of what was restored against what the manifest recorded. */
export function compareTables(db: string, expected: ComponentManifest['items'][number]['tables'], actual: TableFacts): Check[] {
  const checks: Check[] = [];
  const names = new Set([...Object.keys(expected ?? {}), ...Object.keys(actual)]);
  for (const t of [...names].sort()) {
    const e = expected?.[t];
    const a = actual[t];
    checks.push({ item: `${db}.${t} rows`, expected: String(e?.rows ?? '(absent)'), actual: String(a?.rows ?? '(absent)'), ok: !!e && !!a && e.rows === a.rows });
    checks.push({ item: `${db}.${t} checksum`, expected: e?.checksum ?? '(absent)', actual: a?.checksum ?? '(absent)', ok: !!e && !!a && e.checksum === a.checksum });
  }
  return checks;
}
