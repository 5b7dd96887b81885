import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readStackDefinition } from '../../../electron/core/bundle/stack-definition';

// The product's stack definition, checked against what the issue requires of it.
const DIR = path.resolve(__dirname, '../../../bundles/medical-ai-stack');
type Service = {
  image: string;
  restart?: string;
  ports?: string[];
  networks?: string[];
  healthcheck?: { test: string[] };
  volumes?: string[];
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string }; reservations?: { devices?: { driver: string; capabilities: string[] }[] } } };
  'x-medai-readiness'?: { path: string; port: number };
};
const compose = parse(fs.readFileSync(path.join(DIR, 'compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean }>;
  volumes: Record<string, unknown>;
};

describe('bundles/medical-ai-stack', () => {
  it('reads as a stack definition', () => {
    const s = readStackDefinition(DIR);
    expect(s.images.map((i) => i.service).sort()).toEqual(['etcd', 'medical-ai-service', 'milvus', 'postgres', 'redis']);
    expect(s.releaseNotes['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });

  it('pins every image by an explicit tag (never latest), with a healthcheck, a restart policy and resource limits', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, name).toMatch(/:[A-Za-z0-9_.-]+$/);
      expect(s.image, name).not.toMatch(/:latest$/);
      expect(s.healthcheck?.test.length, name).toBeGreaterThan(0);
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.deploy?.resources?.limits?.memory, name).toBeTruthy();
    }
  });

  it('publishes only the service port, on the installer-chosen address; the rest stays on the internal network', () => {
    const svc = compose.services['medical-ai-service']!;
    expect(svc.ports).toEqual(['${MEDAI_BIND_ADDRESS:?the installer sets the bind address}:${MEDAI_HTTP_PORT:-8000}:8000']);
    for (const name of ['postgres', 'redis', 'etcd', 'milvus']) {
      expect(compose.services[name]!.ports, name).toBeUndefined();
      expect(compose.services[name]!.networks, name).toEqual(['backend']);
    }
    expect(compose.networks.backend!.internal).toBe(true);
  });

  it('reserves an NVIDIA GPU for the service, checks /health and names /ready, and mounts logs and models volumes', () => {
    const svc = compose.services['medical-ai-service']!;
    expect(svc.deploy?.resources?.reservations?.devices?.[0]).toMatchObject({ driver: 'nvidia', capabilities: ['gpu'] });
    expect(svc.healthcheck?.test.join(' ')).toContain('/health');
    expect(svc['x-medai-readiness']).toEqual({ path: '/ready', port: 8000 });
    expect(svc.volumes).toEqual(['logs:/var/log/medai', 'models:/models:ro']);
    for (const v of ['logs', 'models', 'pgdata', 'redis-data', 'etcd-data', 'milvus-data']) expect(compose.volumes).toHaveProperty(v);
  });

  it('ships no secret values: every secret in the schema is generated, and empty in the template', () => {
    const s = readStackDefinition(DIR);
    const secrets = s.envSchema.filter((v) => v.secret).map((v) => v.name);
    expect(secrets.sort()).toEqual(['JWT_SECRET', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'SECRET_KEY']);
    const template = Object.fromEntries(
      fs
        .readFileSync(path.join(DIR, 'env.template'), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split('=') as [string, string]),
    );
    expect(Object.keys(template).sort()).toEqual(s.envSchema.map((v) => v.name).sort());
    for (const name of secrets) expect(template[name], name).toBe('');
    // Every ${VAR} the compose file uses is declared.
    const used = new Set([...fs.readFileSync(path.join(DIR, 'compose.yaml'), 'utf8').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    for (const v of used) expect(s.envSchema.map((e) => e.name), v).toContain(v);
  });
});
