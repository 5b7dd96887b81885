import type Docker from 'dockerode';
import { LoadState, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { fail } from '../../contract';

/** Milvus' gRPC port; the stack's service connects to the same (MILVUS_PORT). */
export const MILVUS_PORT = 19530;

/**
 * Milvus' address as the manager reaches it: the container's IP on its own network. The
 * stack keeps Milvus on an internal network with no published port, and the engine's
 * host still routes to it; null when the container has no IP (not running).
 */
export async function milvusAddress(docker: Docker, id: string): Promise<string | null> {
  const info = await docker.getContainer(id).inspect();
  for (const n of Object.values(info.NetworkSettings.Networks ?? {})) if (n.IPAddress) return `${n.IPAddress}:${MILVUS_PORT}`;
  return null;
}

/** Loading a collection after a restart can take a minute on a small host: calls get that long. */
export async function withMilvus<T>(address: string, fn: (c: MilvusClient) => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const client = new MilvusClient({ address, timeout: timeoutMs, logLevel: 'error' });
  // The SDK says hello at construction and nobody awaits it; an unreachable Milvus would
  // surface as an unhandled rejection. The calls below fail on their own instead.
  client.connectPromise.catch(() => undefined);
  try {
    return await fn(client);
  } finally {
    client.closeConnection();
  }
}

type Status = { error_code?: string | number; reason?: string };
const ok = (s: Status | undefined) => !s || s.error_code === 'Success' || s.error_code === 0;
const reasonOf = (s: Status | undefined) => s?.reason || String(s?.error_code ?? 'unknown');

export interface CollectionFact {
  rows: number;
  loaded: boolean;
}

/** Every collection with its persisted row count and load state; `flush` seals growing segments first. */
export async function collectionFacts(client: MilvusClient, flush: boolean): Promise<Record<string, CollectionFact>> {
  const list = await client.showCollections();
  if (!ok(list.status)) throw fail('BACKUP_COMPONENT_FAILED', { component: 'milvus', reason: `listing collections: ${reasonOf(list.status)}` });
  const names = list.data.map((c) => c.name).sort();
  if (flush && names.length) await client.flushSync({ collection_names: names });
  const facts: Record<string, CollectionFact> = {};
  for (const name of names) {
    const stats = await client.getCollectionStatistics({ collection_name: name });
    if (!ok(stats.status)) throw fail('BACKUP_COMPONENT_FAILED', { component: 'milvus', reason: `statistics of ${name}: ${reasonOf(stats.status)}` });
    const load = await client.getLoadState({ collection_name: name });
    facts[name] = { rows: Number(stats.data.row_count ?? 0), loaded: load.state === LoadState.LoadStateLoaded };
  }
  return facts;
}

/**
 * Releases loaded collections before a stop. Milvus 2.3's query node, told to stop, waits
 * up to queryNode.gracefulStopTimeout (30 s) to hand its segments to another node, which a
 * standalone Milvus does not have: with nothing loaded it stops in well under a second.
 */
export async function releaseAll(client: MilvusClient, names: string[]): Promise<void> {
  for (const name of names) await client.releaseCollection({ collection_name: name });
}

/** Loads the collections again (a released collection stays released across a restart). */
export async function loadAll(client: MilvusClient, names: string[]): Promise<void> {
  for (const name of names) await client.loadCollection({ collection_name: name });
}

/** Waits until the named collections are loaded again (Milvus reloads them after a restart). */
export async function waitLoaded(client: MilvusClient, names: string[], timeoutMs: number): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  let pending = [...names];
  while (pending.length && Date.now() < until) {
    const next: string[] = [];
    for (const name of pending) {
      const s = await client.getLoadState({ collection_name: name }).catch(() => undefined);
      if (s?.state !== LoadState.LoadStateLoaded) next.push(name);
    }
    pending = next;
    if (pending.length) await new Promise((r) => setTimeout(r, 250));
  }
  return pending;
}

export interface CollectionProbe {
  rows: number;
  loads: boolean;
  /** A search with one of the collection's own vectors found that row first. */
  answers: boolean;
  detail: string;
}

/**
 * What a person needs from a restored collection: it loads, and a search answers. One
 * stored vector is read back and searched for; its own row must come first.
 */
export async function probeCollection(client: MilvusClient, name: string): Promise<CollectionProbe> {
  const stats = await client.getCollectionStatistics({ collection_name: name });
  const rows = ok(stats.status) ? Number(stats.data.row_count ?? 0) : -1;
  const d = await client.describeCollection({ collection_name: name });
  if (!ok(d.status)) return { rows, loads: false, answers: false, detail: `describe: ${reasonOf(d.status)}` };
  const fields = d.schema.fields;
  const pk = fields.find((f) => f.is_primary_key);
  const vec = fields.find((f) => f.data_type === 'FloatVector');
  const loaded = await client.loadCollectionSync({ collection_name: name });
  if (!ok(loaded)) return { rows, loads: false, answers: false, detail: `load: ${reasonOf(loaded)}` };
  if (!pk || !vec || rows === 0) return { rows, loads: true, answers: rows === 0, detail: rows === 0 ? 'empty collection' : 'no float vector field to search' };
  const q = await client.query({ collection_name: name, expr: pk.data_type === 'VarChar' ? `${pk.name} != ""` : `${pk.name} >= 0`, output_fields: [pk.name, vec.name], limit: 1 });
  const row = q.data[0] as Record<string, unknown> | undefined;
  if (!ok(q.status) || !row) return { rows, loads: true, answers: false, detail: `query: ${reasonOf(q.status)}` };
  const r = await client.search({ collection_name: name, vector: row[vec.name] as number[], limit: 1, output_fields: [pk.name] });
  const first = r.results[0] as Record<string, unknown> | undefined;
  const answers = ok(r.status) && !!first && String(first.id ?? first[pk.name]) === String(row[pk.name]);
  return { rows, loads: true, answers, detail: answers ? `search found ${String(row[pk.name])}` : `search: ${reasonOf(r.status)} first=${String(first?.id)}` };
}
