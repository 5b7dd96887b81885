import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import type Docker from 'dockerode';
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../support/built-cli';

const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'bundles/medical-ai-stack/compose.yaml'), 'utf8')) as {
  services: Record<string, { image: string; command?: string[] }>;
};

export const COLLECTION = 'medai_bt_vectors';
const DIM = 16;

/** Deterministic vectors (a small LCG), so the nearest ids of a query are known to the test. */
export function vectors(n: number, seed: number): number[][] {
  let x = seed >>> 0;
  const next = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return Array.from({ length: n }, () => Array.from({ length: DIM }, next));
}

/**
 * The product's Milvus pair on the real engine: etcd and Milvus from the stack's images,
 * Milvus run with exactly the shipped compose command, on an internal network like the
 * stack's backend, labelled as the stack engine labels them, each with its named volume.
 */
export async function startMilvusStack(docker: Docker, given?: string) {
  execSync(`bash ${REPO_ROOT}/test/images/build.sh etcd milvus`, { stdio: 'ignore' });
  const project = given ?? `medai-backuptest-mv-${randomBytes(3).toString('hex')}`;
  const network = `${project}_backend`;
  const labels = (service: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.oneoff': 'False', 'medai.backuptest': '1' });
  const existing = await docker.listNetworks({ filters: { name: [network] } });
  if (!existing.some((n) => n.Name === network)) await docker.createNetwork({ Name: network, Internal: true, Labels: labels('network') });
  const create = async (service: string, mount: string) => {
    const volume = `${project}_${service}-data`;
    await docker.createVolume({ Name: volume, Labels: labels(service) });
    const c = await docker.createContainer({
      name: `${project}-${service}-1`,
      Image: compose.services[service]!.image,
      ...(compose.services[service]!.command ? { Cmd: compose.services[service]!.command } : {}),
      Labels: labels(service),
      HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: mount }], NetworkMode: network, RestartPolicy: { Name: 'unless-stopped' } },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [service] } } },
    });
    await c.start();
    return c.id;
  };
  const stack = {
    project,
    etcd: await create('etcd', '/etcd'),
    milvus: await create('milvus', '/var/lib/milvus'),
    async health(id: string): Promise<string> {
      const i = await docker.getContainer(id).inspect();
      return `${i.State.Status} ${i.State.Health?.Status ?? ''}`.trim();
    },
    /** Healthy by the engine's own healthcheck, independent of the product code. */
    async waitHealthy(): Promise<void> {
      for (let i = 0; i < 240; i++) {
        if ((await stack.health(stack.etcd)) === 'running healthy' && (await stack.health(stack.milvus)) === 'running healthy') return;
        await new Promise((r) => setTimeout(r, 1000));
      }
      throw new Error(`milvus stack not healthy: etcd=${await stack.health(stack.etcd)} milvus=${await stack.health(stack.milvus)}`);
    },
    async client(): Promise<MilvusClient> {
      const i = await docker.getContainer(stack.milvus).inspect();
      const ip = Object.values(i.NetworkSettings.Networks)[0]!.IPAddress;
      const c = new MilvusClient({ address: `${ip}:19530`, timeout: 30_000, logLevel: 'error' });
      c.connectPromise.catch(() => undefined);
      return c;
    },
    /** A collection of `n` vectors with an exact (FLAT) index, loaded, as the service keeps its own. */
    async seed(n: number): Promise<void> {
      const c = await stack.client();
      try {
        await c.createCollection({
          collection_name: COLLECTION,
          fields: [
            { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
            { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
          ],
        });
        const vs = vectors(n, 7);
        const r = await c.insert({ collection_name: COLLECTION, fields_data: vs.map((v, i) => ({ id: i + 1, vec: v })) });
        if (r.status.error_code !== 'Success') throw new Error(`insert: ${r.status.reason}`);
        await c.createIndex({ collection_name: COLLECTION, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' });
        const l = await c.loadCollectionSync({ collection_name: COLLECTION });
        if (l.error_code !== 'Success') throw new Error(`load: ${l.reason}`);
      } finally {
        c.closeConnection();
      }
    },
    /** Incompressible bulk (random floats) in a second collection, for a target that must fill up. */
    async seedBulk(n: number): Promise<void> {
      const c = await stack.client();
      try {
        await c.createCollection({
          collection_name: `${COLLECTION}_bulk`,
          fields: [
            { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
            { name: 'vec', data_type: DataType.FloatVector, dim: 64 },
          ],
        });
        for (let start = 0; start < n; start += 5000) {
          const rows = Array.from({ length: Math.min(5000, n - start) }, (_, i) => ({ id: start + i + 1, vec: Array.from({ length: 64 }, () => Math.random()) }));
          const r = await c.insert({ collection_name: `${COLLECTION}_bulk`, fields_data: rows });
          if (r.status.error_code !== 'Success') throw new Error(`insert: ${r.status.reason}`);
        }
      } finally {
        c.closeConnection();
      }
    },
    /** Top-5 ids of three fixed query vectors (Strong consistency: every insert is visible). */
    async nearest(): Promise<string[][]> {
      const c = await stack.client();
      try {
        const out: string[][] = [];
        for (const q of vectors(3, 99)) {
          const r = await c.search({ collection_name: COLLECTION, vector: q, limit: 5, consistency_level: 'Strong' as never });
          if (r.status.error_code !== 'Success') throw new Error(`search: ${r.status.reason}`);
          out.push(r.results.map((x) => String(x.id)));
        }
        return out;
      } finally {
        c.closeConnection();
      }
    },
    async hasCollection(): Promise<boolean> {
      const c = await stack.client();
      try {
        return !!(await c.hasCollection({ collection_name: COLLECTION })).value;
      } finally {
        c.closeConnection();
      }
    },
    async load(): Promise<string> {
      const c = await stack.client();
      try {
        return (await c.loadCollectionSync({ collection_name: COLLECTION })).error_code as string;
      } finally {
        c.closeConnection();
      }
    },
    async stop(): Promise<void> {
      for (const id of [stack.milvus, stack.etcd]) await docker.getContainer(id).remove({ force: true, v: true }).catch(() => undefined);
      const vols = await docker.listVolumes({ filters: { label: [`com.docker.compose.project=${project}`] } });
      for (const v of vols.Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
    },
    /** Loses everything: containers and volumes removed, the pair recreated on fresh empty volumes. */
    async wipe(): Promise<void> {
      await stack.stop();
      const fresh = await startMilvusStack(docker, project);
      Object.assign(stack, { etcd: fresh.etcd, milvus: fresh.milvus });
      await stack.waitHealthy();
    },
    async dispose(): Promise<void> {
      await stack.stop();
      await docker.getNetwork(network).remove().catch(() => undefined);
    },
  };
  return stack;
}
export type MilvusStack = Awaited<ReturnType<typeof startMilvusStack>>;
