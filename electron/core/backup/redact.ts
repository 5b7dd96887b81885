/**
 * Removes known secret values from any text before it reaches an error, a log or the
 * journal. Short values are ignored (they would blank out ordinary words); secrets the
 * manager generates are long.
 */
export function makeRedactor(secrets: Iterable<string | undefined>, mark = '[redacted]'): (s: string) => string {
  const values = [...secrets].filter((v): v is string => typeof v === 'string' && v.length >= 6).sort((a, b) => b.length - a.length);
  return (s) => values.reduce((acc, v) => acc.split(v).join(mark), s);
}
