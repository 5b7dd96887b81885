import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EnvVariable } from '../../../electron/core/contract';
import { ENV_SCHEMA } from './app-stack';

/**
 * The stack with the real medical-ai-service image (built by service/scripts/service-build-image.sh)
 * and a real Milvus server (test/images/milvus). Version 2 derives from the real image and
 * carries migration 2; version 3 listens on another port so its health gate fails; "1b" is
 * the real image relabelled (a service-image-only change, no migration) for the benchmark.
 */
/** PostgreSQL, Redis, a real Milvus server and the real service image. */
export const realServiceCompose = (serviceImage: string) => `services:
  postgres:
    image: medai-test/postgres:15
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
    volumes: ["pgdata:/var/lib/postgresql/data"]
    healthcheck: { test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U postgres"], interval: 1s, timeout: 3s, retries: 60 }
    labels: { ai.medai.role: database }
    restart: unless-stopped
  redis:
    image: medai-test/redis:7
    environment:
      REDIS_PASSWORD: \${REDIS_PASSWORD}
    volumes: ["redisdata:/data"]
    healthcheck: { test: ["CMD-SHELL", "REDISCLI_AUTH=$$REDIS_PASSWORD redis-cli -h 127.0.0.1 ping | grep -q PONG"], interval: 1s, timeout: 3s, retries: 30 }
    restart: unless-stopped
  milvus:
    image: medai-test/milvus:2.3.5
    volumes: ["milvusdata:/var/lib/milvus"]
    healthcheck: { test: ["CMD", "curl", "-fsS", "http://127.0.0.1:9091/healthz"], interval: 2s, timeout: 5s, retries: 150 }
    restart: unless-stopped
  service:
    image: ${serviceImage}
    environment:
      DATABASE_URL: postgresql://postgres:\${POSTGRES_PASSWORD}@postgres:5432/postgres
      REDIS_URL: redis://redis:6379/0
      REDIS_PASSWORD: \${REDIS_PASSWORD}
      MILVUS_HOST: milvus
      MILVUS_PORT: "19530"
      SECRET_KEY: \${SECRET_KEY}
      JWT_SECRET: \${JWT_SECRET}
      EXECUTION_PROVIDER: cpu
    ports: ["\${MEDAI_BIND_ADDRESS}:\${MEDAI_HTTP_PORT}:8000"]
    depends_on:
      postgres: { condition: service_healthy }
      redis: { condition: service_healthy }
      milvus: { condition: service_healthy }
    healthcheck:
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:8000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
      interval: 1s
      timeout: 3s
      retries: 5
      start_period: 30s
    restart: unless-stopped
    x-medai-readiness: { path: /ready, port: 8000 }
    x-medai-migrate: { command: ["node", "/app/dist/cli.js", "migrate"] }
volumes:
  pgdata: {}
  redisdata: {}
  milvusdata: {}
`;

export const REAL_SCHEMA: EnvVariable[] = [
  ...ENV_SCHEMA,
  { name: 'REDIS_PASSWORD', description: { 'zh-CN': 'Redis 密码', en: 'Redis password' }, secret: true, generate: 'base64url48', required: true },
  { name: 'SECRET_KEY', description: { 'zh-CN': '密钥', en: 'Secret key' }, secret: true, generate: 'hex32', required: true },
  { name: 'JWT_SECRET', description: { 'zh-CN': 'JWT 密钥', en: 'JWT secret' }, secret: true, generate: 'hex32', required: true },
];

export const IMAGES = { '1.0.0': 'medai/medical-ai-service:0.1.0', '1.0.1': 'medai-stacktest/service:1b', '2.0.0': 'medai-stacktest/service:2', '3.0.0': 'medai-stacktest/service:3' } as const;

export function buildServiceImages(): void {
  // The real service image comes from service/ (its build script); v2 and v3 derive from it here.
  execFileSync('docker', ['image', 'inspect', IMAGES['1.0.0']], { stdio: 'pipe' });
  const dir = fileURLToPath(new URL('./service-images', import.meta.url));
  for (const v of ['1b', '2', '3']) execFileSync('docker', ['build', '-q', '--label', 'medai.test-image=1', '-f', `${dir}/Dockerfile.v${v}`, '-t', `medai-stacktest/service:${v}`, dir], { stdio: 'pipe' });
}

