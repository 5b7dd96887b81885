import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { dockerEndpointFromEnv } from '../../../electron/core/engine/docker-endpoint';
import { downProject } from '../../../electron/core/stack/engine/project-lifecycle';
import type { EngineAccess } from '../../../electron/core/stack/engine/engine-access';
import { REPO_ROOT } from '../../support/built-cli';

/** The real local engine (no timeout: image loads and health waits are slow on 2 cores). */
export function realEngine(): EngineAccess {
  const endpoint = dockerEndpointFromEnv();
  return { docker: new Docker({ socketPath: endpoint.socketPath }), endpoint };
}

/** Every project a stack test creates starts with this, so leftovers are easy to find and remove. */
export const testProject = (what: string): string => `medai-stacktest-${what}-${randomBytes(3).toString('hex')}`;

/** Builds the offline test images once (cached by tag); fails loudly if it cannot. */
export function ensureTestImages(): void {
  execFileSync('bash', [path.join(REPO_ROOT, 'test/images/build.sh')], { stdio: 'inherit' });
}

/** The offline PostgreSQL as a compose service, data in the `pgdata` volume. */
export const POSTGRES_TEST_SERVICE = `  postgres:
    image: medai-test/postgres:15
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U postgres"]
      interval: 1s
      timeout: 3s
      retries: 60
    restart: unless-stopped
    labels:
      ai.medai.role: database
`;

/** Short health intervals so a test stack is up in seconds, not the images' production 10 s. */
export const PG_REDIS_COMPOSE = `services:
${POSTGRES_TEST_SERVICE}  redis:
    image: medai-test/redis:7
    environment:
      REDIS_PASSWORD: \${REDIS_PASSWORD}
    healthcheck:
      test: ["CMD-SHELL", "REDISCLI_AUTH=$$REDIS_PASSWORD redis-cli -h 127.0.0.1 ping | grep -q PONG"]
      interval: 1s
      timeout: 3s
      retries: 30
    depends_on:
      postgres:
        condition: service_healthy
    logging:
      driver: json-file
      options: { max-size: 1m, max-file: "2" }
volumes:
  pgdata:
`;

export function writeStackDir(dir: string, compose: string, env: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'compose.yaml');
  fs.writeFileSync(file, compose);
  fs.writeFileSync(path.join(dir, '.env'), Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  return file;
}

export async function cleanupProjects(access: EngineAccess, projects: string[]): Promise<void> {
  for (const p of projects) await downProject(access, p, { deleteVolumes: true });
}

/** What the engine holds for a project (labels are the only truth). */
export async function projectObjects(access: EngineAccess, project: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = { label: [`com.docker.compose.project=${project}`] };
  const [containers, networks, volumes] = await Promise.all([
    access.docker.listContainers({ all: true, filters }),
    access.docker.listNetworks({ filters }),
    access.docker.listVolumes({ filters }),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: volumes.Volumes?.length ?? 0 };
}
