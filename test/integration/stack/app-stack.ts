import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { BundleStore } from '../../../electron/core/bundle/bundle-store';
import { BundleManifest, type EnvVariable } from '../../../electron/core/contract';
import type { StateDb } from '../../../electron/core/state/open-state';
import { POSTGRES_TEST_SERVICE } from './stack-fixtures';

/**
 * The stack the lifecycle tests install: the offline PostgreSQL image plus the stack-test
 * application (test/integration/stack/app-image), whose image differs per version and
 * carries a versioned migration. Version 3's /health answers 500.
 */
export const appCompose = (appTag: string): string => `services:
${POSTGRES_TEST_SERVICE}  app:
    image: medai-stacktest/app:${appTag}
    environment:
      DATABASE_URL: postgresql://postgres:\${POSTGRES_PASSWORD}@postgres:5432/postgres
    ports:
      - "\${MEDAI_BIND_ADDRESS}:\${MEDAI_HTTP_PORT}:8000"
    depends_on:
      postgres:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8000/health"]
      interval: 1s
      timeout: 2s
      retries: 3
    restart: unless-stopped
    x-medai-readiness: { path: /ready, port: 8000 }
    x-medai-migrate: { command: ["sh", "/opt/app/migrate.sh"] }
volumes:
  pgdata: {}
`;

export const ENV_SCHEMA: EnvVariable[] = [
  { name: 'MEDAI_BIND_ADDRESS', description: { 'zh-CN': '绑定地址', en: 'Bind address' }, secret: false, default: '127.0.0.1', required: true },
  { name: 'MEDAI_HTTP_PORT', description: { 'zh-CN': '端口', en: 'Port' }, secret: false, default: '8000', required: true },
  { name: 'POSTGRES_PASSWORD', description: { 'zh-CN': '数据库密码', en: 'Database password' }, secret: true, generate: 'base64url48', required: true },
];

/** Builds the stack-test application images (cached layers; a few seconds when built before). */
export function ensureAppImages(): void {
  for (const v of ['1', '2', '3']) {
    execFileSync('docker', ['build', '-q', '--label', 'medai.test-image=1', '--build-arg', `APP_VERSION=${v}`, '-t', `medai-stacktest/app:${v}`, fileURLToPath(new URL('./app-image', import.meta.url))], { stdio: 'pipe' });
  }
}

/**
 * Records a bundle as imported, the way bundle.import does after verifying and loading it
 * (the images are already in the engine: built locally). The stack reads only this record;
 * the import path itself is the bundle capability's test.
 */
export async function recordBundle(db: StateDb, docker: Docker, version: string, compose: string, envSchema: EnvVariable[], refs: [string, string][], minUpgradeFrom = '1.0.0'): Promise<void> {
  const images = [];
  for (const [service, ref] of refs) {
    const info = await docker.getImage(ref).inspect();
    images.push({ service, ref, id: info.Id, file: `images/${service}.tar`, compression: 'none' as const, sha256: createHash('sha256').update(info.Id).digest('hex'), size: info.Size, unpackedSize: info.Size });
  }
  const manifest = BundleManifest.parse({
    schemaVersion: 1,
    bundleVersion: version,
    stackVersion: version,
    minUpgradeFrom,
    createdAt: new Date().toISOString(),
    releaseNotes: { 'zh-CN': `测试版本 ${version}`, en: `Test release ${version}` },
    compose: { file: 'compose.yaml', content: compose },
    envSchema,
    images,
    models: [],
  });
  const json = JSON.stringify(manifest);
  new BundleStore(db).record({ manifest, manifestJson: json, manifestSha256: createHash('sha256').update(json).digest('hex'), signerKeyId: '0'.repeat(64), importedAt: new Date().toISOString(), sourcePath: `/test/${version}.medai-bundle`, modelsDir: '/nonexistent' });
}

/** A bundle of the stack-test application (PostgreSQL + app:<tag>). */
export async function recordAppBundle(db: StateDb, docker: Docker, version: string, appTag: string, minUpgradeFrom = '1.0.0'): Promise<void> {
  await recordBundle(
    db,
    docker,
    version,
    appCompose(appTag),
    ENV_SCHEMA,
    [
      ['postgres', 'medai-test/postgres:15'],
      ['app', `medai-stacktest/app:${appTag}`],
    ],
    minUpgradeFrom,
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen({ host: '127.0.0.1', port: 0 }, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export { runOperation } from '../../support/run-operation';

export async function items(port: number): Promise<{ count: number; version: number }> {
  const r = await fetch(`http://127.0.0.1:${port}/items`);
  return (await r.json()) as { count: number; version: number };
}

export async function addItems(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/items`, { method: 'POST', body: `row-${Date.now()}-${i}` });
    if (r.status !== 201) throw new Error(`insert failed: ${r.status}`);
  }
}

/** Runs SQL in the stack's database container as postgres (peer auth). */
export function sql(project: string, query: string): string {
  return execFileSync('docker', ['exec', '-u', 'postgres', `${project}-postgres-1`, 'psql', '-X', '-At', '-d', 'postgres', '-c', query], { encoding: 'utf8' }).trim();
}
