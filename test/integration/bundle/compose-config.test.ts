import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../support/built-cli';

// The product's compose file, read by a real Compose implementation (Debian's
// docker-compose 1.29) as an interoperability peer: it must accept the file with the
// install-time environment, and refuse to render it while any secret is missing.
const COMPOSE = path.join(REPO_ROOT, 'bundles/medical-ai-stack/compose.yaml');
const SECRETS = { POSTGRES_PASSWORD: 'p'.repeat(48), REDIS_PASSWORD: 'r'.repeat(48), SECRET_KEY: 's'.repeat(64), JWT_SECRET: 'j'.repeat(64) };
const config = (env: Record<string, string>) =>
  spawnSync('docker-compose', ['-p', 'medai', '-f', COMPOSE, 'config'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

describe('bundles/medical-ai-stack/compose.yaml with docker-compose', () => {
  it('renders with the installer-chosen bind address and generated secrets; only the service publishes a port', () => {
    const r = config({ MEDAI_BIND_ADDRESS: '10.1.2.3', ...SECRETS });
    expect(r.status, r.stderr).toBe(0);
    const rendered = parse(r.stdout) as { services: Record<string, { ports?: unknown[] }>; networks: Record<string, { internal?: boolean }> };
    expect(rendered.services['medical-ai-service']!.ports).toEqual(['10.1.2.3:8000:8000/tcp']);
    for (const name of ['postgres', 'redis', 'etcd', 'milvus']) expect(rendered.services[name]!.ports, name).toBeUndefined();
    expect(rendered.networks.backend!.internal).toBe(true);
  });

  it.each(['MEDAI_BIND_ADDRESS', ...Object.keys(SECRETS)])('refuses to render without %s (no shipped default)', (missing) => {
    const env: Record<string, string> = { MEDAI_BIND_ADDRESS: '127.0.0.1', ...SECRETS };
    delete env[missing];
    const r = config(env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(missing);
  });
});
