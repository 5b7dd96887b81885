import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../electron/core/contract';
import { parseCompose } from '../../../electron/core/stack/compose/compose-parse';
import { configHash } from '../../../electron/core/stack/compose/config-hash';
import { dependentsOf } from '../../../electron/core/stack/compose/dependency-order';

const FILE = '/srv/medai/stack/compose.yaml';

const STACK = `# The stack as the bundle ships it
services:
  api:
    image: medai/medical-ai-service:\${SERVICE_VERSION}
    command: ["node", "dist/server.js"]
    environment:
      DATABASE_URL: postgres://medai:\${POSTGRES_PASSWORD}@postgres:5432/medai
      LOG_LEVEL: \${LOG_LEVEL:-info}
      PRICE: "$$5"
    env_file: service.env
    ports:
      - "127.0.0.1:\${HTTP_PORT}:8000"
    volumes:
      - models:/models:ro
      - ./config:/etc/medai
    depends_on:
      postgres:
        condition: service_healthy
      redis:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8000/health"]
      interval: 2s
      timeout: 1s
      retries: 30
      start_period: 1m30s
    restart: unless-stopped
    deploy:
      resources:
        limits: { cpus: "1.5", memory: 2g, pids: 512 }
        reservations:
          devices:
            - driver: nvidia
              count: all
              capabilities: [gpu]
    labels:
      ai.medai.role: app
    ulimits:
      nofile: { soft: 65536, hard: 65536 }
    logging:
      driver: json-file
      options: { max-size: 10m, max-file: "3" }
  redis:
    image: medai-test/redis:7
    healthcheck:
      test: redis-cli ping
  postgres:
    image: medai-test/postgres:15
    environment:
      - POSTGRES_PASSWORD=\${POSTGRES_PASSWORD}
    volumes:
      - type: volume
        source: pgdata
        target: /var/lib/postgresql/data
volumes:
  pgdata:
  models:
`;

const VARS = { SERVICE_VERSION: '1.0.0', POSTGRES_PASSWORD: 's3cret', HTTP_PORT: '18080' };
const readFile = (f: string) => {
  if (f === '/srv/medai/stack/service.env') return '# comment\nEXTRA=1\nLOG_LEVEL=debug\n';
  throw new Error(`no file ${f}`);
};

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return (e as CoreError).error;
  }
  throw new Error('expected a refusal');
}

describe('compose subset parser', () => {
  it('normalizes the stack and orders services by dependency', () => {
    const m = parseCompose({ file: FILE, source: STACK, vars: VARS, readFile });
    expect(m.services.map((s) => s.name)).toEqual(['postgres', 'redis', 'api']);
    const api = m.services.find((s) => s.name === 'api')!;
    expect(api.image).toBe('medai/medical-ai-service:1.0.0');
    expect(api.environment).toEqual({
      EXTRA: '1',
      // environment: overrides env_file, and the default applies only when unset.
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://medai:s3cret@postgres:5432/medai',
      PRICE: '$5',
    });
    expect(api.ports).toEqual([{ hostIp: '127.0.0.1', hostPort: 18080, containerPort: 8000, protocol: 'tcp' }]);
    expect(api.mounts).toEqual([
      { type: 'volume', source: 'models', target: '/models', readOnly: true },
      { type: 'bind', source: '/srv/medai/stack/config', target: '/etc/medai', readOnly: false },
    ]);
    expect(api.healthcheck).toEqual({ test: ['CMD', 'curl', '-fsS', 'http://127.0.0.1:8000/health'], intervalNs: 2e9, timeoutNs: 1e9, retries: 30, startPeriodNs: 90e9 });
    expect(api.resources).toEqual({ nanoCpus: 1.5e9, memoryBytes: 2 * 1024 ** 3, pidsLimit: 512, gpus: [{ driver: 'nvidia', count: -1, deviceIds: [], capabilities: ['gpu'] }] });
    expect(api.dependsOn).toEqual([
      { service: 'postgres', condition: 'service_healthy' },
      { service: 'redis', condition: 'service_healthy' },
    ]);
    expect(api.ulimits).toEqual([{ name: 'nofile', soft: 65536, hard: 65536 }]);
    expect(api.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    expect(m.services.find((s) => s.name === 'redis')!.healthcheck!.test).toEqual(['CMD-SHELL', 'redis-cli ping']);
    expect(m.networks.map((n) => n.name)).toEqual(['default']);
    expect(m.volumes.map((v) => v.name)).toEqual(['pgdata', 'models']);
    expect(dependentsOf(m.services, 'postgres')).toEqual(new Set(['api']));
  });

  it('refuses a key outside the subset, naming the key path and the line', () => {
    const src = STACK.replace('    restart: unless-stopped\n', '    restart: unless-stopped\n    privileged: true\n');
    const err = refusal(() => parseCompose({ file: FILE, source: src, vars: VARS, readFile }));
    expect(err.code).toBe('STACK_COMPOSE_UNSUPPORTED');
    expect(err.message.en).toContain('services.api.privileged');
    const line = src.split('\n').findIndex((l) => l.includes('privileged')) + 1;
    expect(line).toBeGreaterThan(20);
    expect(err.message.en).toContain(`${FILE} at line ${line} `);
  });

  it('refuses unsupported nested keys and top-level keys', () => {
    const top = refusal(() => parseCompose({ file: FILE, source: `${STACK}secrets:\n  x: {}\n`, vars: VARS, readFile }));
    expect(top.code).toBe('STACK_COMPOSE_UNSUPPORTED');
    expect(top.message.en).toContain('secrets');
    const deploy = refusal(() => parseCompose({ file: FILE, source: STACK.replace('      resources:\n', '      replicas: 2\n      resources:\n'), vars: VARS, readFile }));
    expect(deploy.message.en).toContain('services.api.deploy.replicas');
    const ext = refusal(() => parseCompose({ file: FILE, source: STACK.replace('  pgdata:\n', '  pgdata:\n    external: true\n'), vars: VARS, readFile }));
    expect(ext.message.en).toContain('volumes.pgdata.external');
  });

  it('refuses YAML anchors, which hide what a key means', () => {
    const src = 'services:\n  a: &base\n    image: x:1\n  b: *base\n';
    expect(refusal(() => parseCompose({ file: FILE, source: src, vars: {} })).code).toBe('STACK_COMPOSE_UNSUPPORTED');
  });

  it('names the variable and line when an interpolated value is missing', () => {
    const { HTTP_PORT: _drop, ...vars } = VARS;
    const err = refusal(() => parseCompose({ file: FILE, source: STACK, vars, readFile }));
    expect(err.code).toBe('STACK_COMPOSE_VARIABLE_MISSING');
    expect(err.message.en).toContain('HTTP_PORT');
    expect(err.message.en).toContain('line 12');
  });

  it('reports invalid values with their line', () => {
    const bad = refusal(() => parseCompose({ file: FILE, source: STACK.replace('interval: 2s', 'interval: soon'), vars: VARS, readFile }));
    expect(bad.code).toBe('STACK_COMPOSE_INVALID');
    expect(bad.message.en).toContain('line 23');
    expect(bad.message.en).toContain('services.api.healthcheck.interval');
    const port = refusal(() => parseCompose({ file: FILE, source: STACK.replace('"127.0.0.1:${HTTP_PORT}:8000"', '"8000-8010:8000"'), vars: VARS, readFile }));
    expect(port.message.en).toContain('ranges');
    const syntax = refusal(() => parseCompose({ file: FILE, source: 'services:\n  a:\n    image: [unclosed\n', vars: {} }));
    expect(syntax.code).toBe('STACK_COMPOSE_INVALID');
    const undeclared = refusal(() => parseCompose({ file: FILE, source: 'services:\n  a:\n    image: x:1\n    volumes: ["data:/d"]\n', vars: {} }));
    expect(undeclared.message.en).toContain('not declared');
    const reserved = refusal(() => parseCompose({ file: FILE, source: 'services:\n  a:\n    image: x:1\n    labels: { com.docker.compose.project: other }\n', vars: {} }));
    expect(reserved.message.en).toContain('reserved');
  });

  it('refuses a dependency cycle and an unknown dependency', () => {
    const cyc = 'services:\n  a:\n    image: x:1\n    depends_on: [b]\n  b:\n    image: x:1\n    depends_on: [a]\n';
    const err = refusal(() => parseCompose({ file: FILE, source: cyc, vars: {} }));
    expect(err.code).toBe('STACK_DEPENDENCY_CYCLE');
    expect(err.message.en).toMatch(/a → b → a/);
    const unknown = refusal(() => parseCompose({ file: FILE, source: 'services:\n  a:\n    image: x:1\n    depends_on: [ghost]\n', vars: {} }));
    expect(unknown.message.en).toContain('ghost');
  });

  it('hashes config stably regardless of key order, and changes with the image ID', () => {
    const a = parseCompose({ file: FILE, source: STACK, vars: VARS, readFile });
    const reordered = STACK.replace('      retries: 30\n      start_period: 1m30s\n', '      start_period: 90s\n      retries: 30\n');
    const b = parseCompose({ file: FILE, source: reordered, vars: VARS, readFile });
    const apiA = a.services.find((s) => s.name === 'api')!;
    const apiB = b.services.find((s) => s.name === 'api')!;
    expect(configHash(apiA, 'sha256:1')).toBe(configHash(apiB, 'sha256:1'));
    expect(configHash(apiA, 'sha256:1')).not.toBe(configHash(apiA, 'sha256:2'));
    const c = parseCompose({ file: FILE, source: STACK, vars: { ...VARS, POSTGRES_PASSWORD: 'other' }, readFile });
    expect(configHash(c.services.find((s) => s.name === 'api')!, 'sha256:1')).not.toBe(configHash(apiA, 'sha256:1'));
  });
});
