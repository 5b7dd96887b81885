import { fail } from '../../contract';

/** Where a value came from, for the error that names its line. */
export interface InterpolationSite {
  file: string;
  line: number;
}

const PATTERN = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Compose's `${VAR}` interpolation from the generated env file: `${VAR}`, `$VAR`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `$$` for a
 * literal dollar. Unlike compose, an unset variable without a default is an error, not an
 * empty string: an empty password or path is how data gets lost.
 */
export function interpolate(value: string, vars: Readonly<Record<string, string>>, site: InterpolationSite): string {
  return value.replace(PATTERN, (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const current = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    const emptyCounts = op?.startsWith(':') ?? false;
    const missing = current === undefined || (emptyCounts && current === '');
    if (op === ':-' || op === '-') return missing ? (arg ?? '') : current!;
    if (missing) throw fail('STACK_COMPOSE_VARIABLE_MISSING', { name, file: site.file, line: site.line }, op && arg ? arg : undefined);
    return current!;
  });
}

/** Reads KEY=VALUE lines (an env file); `#` comments and blank lines are skipped, quotes removed. */
export function parseEnvFile(content: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().replace(/^export\s+/, '');
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) value = value.slice(1, -1);
    out[key] = value;
  }
  return out;
}
