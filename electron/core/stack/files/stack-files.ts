import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fail, type EnvVariable, type StackConfig } from '../../contract';
import { parseCompose } from '../compose/compose-parse';
import { parseEnvFile } from '../compose/interpolate';
import type { StackModel } from '../compose/stack-model';

/**
 * On-disk layout of an installed stack, under the manager's data directory:
 *   stacks/<stack>/secrets.env           generated secrets (0600), kept across versions
 *   stacks/<stack>/versions/<v>/compose.yaml + .env (0600)   what each version ran with
 *   stacks/<stack>/backups/<v>-<time>/   safety backups (database dump + config copy)
 * The .env sits next to compose.yaml so `docker compose` interpolates exactly what we did.
 */
export const stackRoot = (dataDir: string, stack: string): string => path.join(dataDir, 'stacks', stack);
export const versionDir = (dataDir: string, stack: string, version: string): string => path.join(stackRoot(dataDir, stack), 'versions', version);

const generate = (how: EnvVariable['generate']): string => (how === 'hex32' ? randomBytes(32).toString('hex') : randomBytes(48).toString('base64url'));

/** Atomic write of a secret file (folder 0700, file 0600): a crash leaves the old or the new. */
export function writePrivate(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

const envText = (vars: Record<string, string>) => `${Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n')}\n`;

/** The installer's settings as the env variables the product compose file reads. */
export function configVariables(config: StackConfig): Record<string, string> {
  return { ...config.values, MEDAI_BIND_ADDRESS: config.bindAddress, MEDAI_HTTP_PORT: String(config.httpPort) };
}

/**
 * Resolves every variable of the bundle's env schema: secrets from secrets.env (generated
 * the first time and never printed), the rest from the settings or the schema default.
 */
export function resolveEnv(dataDir: string, stack: string, schema: EnvVariable[], config: StackConfig): Record<string, string> {
  const secretsFile = path.join(stackRoot(dataDir, stack), 'secrets.env');
  const secrets = fs.existsSync(secretsFile) ? parseEnvFile(fs.readFileSync(secretsFile, 'utf8')) : {};
  let generated = false;
  const settings = configVariables(config);
  const env: Record<string, string> = {};
  for (const v of schema) {
    if (v.secret) {
      if (!secrets[v.name]) {
        secrets[v.name] = generate(v.generate);
        generated = true;
      }
      env[v.name] = secrets[v.name]!;
      continue;
    }
    const value = settings[v.name] ?? v.default;
    if (value === undefined) {
      if (v.required) throw fail('STACK_COMPOSE_VARIABLE_MISSING', { name: v.name, file: 'env.schema.json', line: 1 });
      continue;
    }
    env[v.name] = value;
  }
  if (generated || !fs.existsSync(secretsFile)) writePrivate(secretsFile, envText(secrets));
  return env;
}

/** Writes a version's compose.yaml and .env (0600) and returns the parsed model. */
export function writeVersionFiles(dir: string, compose: string, env: Record<string, string>): StackModel {
  const file = path.join(dir, 'compose.yaml');
  // Parse before writing: a refused compose file leaves no version folder behind.
  const model = parseCompose({ file, source: compose, vars: env, readFile: (f) => fs.readFileSync(f, 'utf8') });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, compose, { mode: 0o644 });
  writePrivate(path.join(dir, '.env'), envText(env));
  return model;
}

/** Reads back what a version ran with (for rollback, recovery, status). */
export function loadVersionModel(dir: string): StackModel {
  const file = path.join(dir, 'compose.yaml');
  const vars = parseEnvFile(fs.readFileSync(path.join(dir, '.env'), 'utf8'));
  return parseCompose({ file, source: fs.readFileSync(file, 'utf8'), vars, readFile: (f) => fs.readFileSync(f, 'utf8') });
}
