import { makeRedactor } from '../../backup/redact';

/**
 * Every redaction rule of the diagnostics bundle, in one place. Two layers:
 *  1. by shape: env/YAML keys that name a secret, user:password@ in URLs, Authorization and
 *     Bearer values, secret-named fields of JSON;
 *  2. by value: every secret the manager knows of, replaced wherever it appears verbatim
 *     (a container log that echoes its password has no key to match on).
 * Every function returns what it redacted by name (key or rule), never the value.
 */
export const REDACTED = '«redacted»';

/** Names that hold a secret: env keys, YAML keys, JSON fields. */
export const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|PASSWD/i;

export interface Redacted {
  text: string;
  names: string[];
}

const uniq = (names: string[]): string[] => [...new Set(names)].sort();

// A value that only references another variable (${POSTGRES_PASSWORD}) names a secret, it is none.
const isReference = (v: string): boolean => /^["']?\$\{?[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}?["']?$/.test(v.trim());

/** KEY=value lines (env files, `environment:` lists) and `key: value` YAML lines whose key names a secret. */
export function redactKeyedLines(text: string): Redacted {
  const names: string[] = [];
  const out = text.replace(
    /^(\s*(?:-\s+)?(?:export\s+)?["']?)([A-Za-z_][A-Za-z0-9_.-]*)(["']?\s*(?:=|:(?=\s|$))[ \t]*)(.*)$/gm,
    (line, lead: string, key: string, sep: string, value: string) => {
      if (!SECRET_NAME.test(key) || value.trim() === '' || isReference(value)) return line;
      // A YAML key opening a block (`secrets:` followed by nothing) has no value to hide.
      names.push(`key:${key}`);
      return `${lead}${key}${sep}${REDACTED}`;
    },
  );
  return { text: out, names: uniq(names) };
}

/** scheme://user:password@host → scheme://user:«redacted»@host (also redis://:password@host). */
export function redactUrlCredentials(text: string): Redacted {
  let hit = false;
  const out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*):([^\s@/'"]+)@/gi, (_m, head: string) => {
    hit = true;
    return `${head}:${REDACTED}@`;
  });
  return { text: out, names: hit ? ['url-password'] : [] };
}

/** Authorization headers (any scheme) and bare Bearer tokens, in logs and dumps. */
export function redactAuthorization(text: string): Redacted {
  const names: string[] = [];
  let out = text.replace(/(["']?authorization["']?\s*[:=]\s*["']?)(?:(Bearer|Basic|Token)\s+)?([^\s"',;]+)/gi, (_m, head: string, scheme: string | undefined) => {
    names.push('authorization-header');
    return `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`;
  });
  out = out.replace(/\b(Bearer)\s+(?!«)([A-Za-z0-9._~+/=-]{6,})/g, (_m, scheme: string) => {
    names.push('bearer-token');
    return `${scheme} ${REDACTED}`;
  });
  return { text: out, names: uniq(names) };
}

/** PEM blocks (SSH and TLS private keys) as a whole. */
export function redactPemBlocks(text: string): Redacted {
  let hit = false;
  const out = text.replace(/-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g, () => {
    hit = true;
    return `-----BEGIN PRIVATE KEY----- ${REDACTED} -----END PRIVATE KEY-----`;
  });
  return { text: out, names: hit ? ['private-key-block'] : [] };
}

/** Every shape rule on free text (logs, compose files, env files). */
export function redactText(text: string): Redacted {
  const p = redactPemBlocks(text);
  const a = redactKeyedLines(p.text);
  const b = redactUrlCredentials(a.text);
  const c = redactAuthorization(b.text);
  return { text: c.text, names: uniq([...p.names, ...a.names, ...b.names, ...c.names]) };
}

// Fields that name a secret but hold a reference to one (signerKeyId, passwordFile): support needs them.
// The verbatim pass still catches any of them that is a secret after all (an S3 access key id).
const NOT_A_SECRET_FIELD = /(?:id|ids|sha256|file|path|name|names|count)$/i;

/** Structured data: secret-named fields are blanked, every string goes through the text rules. */
export function redactJson(value: unknown): { value: unknown; names: string[] } {
  const names: string[] = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const r = redactText(v);
      names.push(...r.names);
      return r.text;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) {
        // Booleans and numbers under such names are flags (hasCredentials), not secrets.
        if (SECRET_NAME.test(k) && !NOT_A_SECRET_FIELD.test(k) && (typeof inner === 'string' || (inner && typeof inner === 'object'))) {
          names.push(`field:${k}`);
          out[k] = REDACTED;
        } else out[k] = walk(inner);
      }
      return out;
    }
    return v;
  };
  return { value: walk(value), names: uniq(names) };
}

/**
 * The last pass over every file: any known secret value that still appears verbatim is
 * replaced. Shares the backup redactor's rule (values under 6 characters are ignored: they
 * would blank out ordinary words; secrets the manager generates are long).
 */
export function makeVerbatimScrubber(secrets: Iterable<string | undefined>): (text: string) => Redacted {
  const list = [...secrets].filter((v): v is string => typeof v === 'string').map((v) => v.trim());
  const scrub = makeRedactor(list, REDACTED);
  return (text) => {
    const out = scrub(text);
    return { text: out, names: out === text ? [] : ['known-secret-value'] };
  };
}
