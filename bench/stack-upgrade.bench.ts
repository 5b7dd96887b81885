import { spawnSync } from 'node:child_process';
import Docker from 'dockerode';
import { systemClock } from '../electron/core/clock';
import { createCore, type Core } from '../electron/core/core';
import { dockerEndpointFromEnv } from '../electron/core/engine/docker-endpoint';
import { downProject } from '../electron/core/stack/engine/project-lifecycle';
import { openState } from '../electron/core/state/open-state';
import { ensureAppImages, freePort, recordAppBundle, recordBundle, runOperation } from '../test/integration/stack/app-stack';
import { buildServiceImages, IMAGES, REAL_SCHEMA, realServiceCompose } from '../test/integration/stack/real-service-stack';
import { makeTempDir } from '../test/support/temp-dir';
import type { Benchmark } from './bench-kit';

// Two figures the stack promises, on the real engine, for the stack-test app (PostgreSQL +
// an app whose image differs per version) and for the real service stack:
//  - /health unavailability while an upgrade replaces only the service image (polled every
//    100 ms), against `docker restart` of the same container as the raw-engine floor;
//  - how long the automatic rollback takes after the health gate fails (v3's /health is 500).
const ROUNDS = Number(process.env.MEDAI_BENCH_ROUNDS ?? 3);

/** Polls /health every 100 ms while `during` runs; returns the longest run of failed polls, in seconds. */
async function longestGap(port: number, during: () => Promise<void>): Promise<number> {
  let running = true;
  let gapStart: number | null = null;
  let longest = 0;
  const poller = (async () => {
    while (running) {
      const t = performance.now();
      let ok = false;
      try {
        ok = (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) })).status === 200;
      } catch {
        ok = false;
      }
      if (!ok && gapStart === null) gapStart = t;
      if (ok && gapStart !== null) {
        longest = Math.max(longest, (performance.now() - gapStart) / 1000);
        gapStart = null;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - t))));
    }
  })();
  await during();
  // Let the poller see the service answer again after the operation ended.
  await new Promise((r) => setTimeout(r, 500));
  running = false;
  await poller;
  if (gapStart !== null) longest = Math.max(longest, (performance.now() - gapStart) / 1000);
  return longest;
}

interface Variant {
  /** Bundles: the installed one, then one per round (alternating service images), then one that fails its health gate. */
  record(core: Core, docker: Docker, version: string, kind: 'base' | 'alt' | 'failing'): Promise<void>;
  service: string;
  healthTimeoutS: number;
}

async function runVariant(name: string, v: Variant) {
  const endpoint = dockerEndpointFromEnv();
  const docker = new Docker({ socketPath: endpoint.socketPath });
  const tmp = makeTempDir('stackbench');
  const stack = `medai-stacktest-bench-${name}-${process.pid}`;
  const core: Core = createCore({ dataDir: tmp.dir, db: openState(tmp.dir), docker, dockerEndpoint: { ...endpoint, timeoutSeconds: 30 }, clock: systemClock });
  try {
    const port = await freePort();
    await v.record(core, docker, '1.0.0', 'base');
    const installed = await runOperation(core, 'stack.install', { stack, bundleVersion: '1.0.0', config: { httpPort: port }, overrideHostCheck: 'benchmark host', healthTimeoutS: v.healthTimeoutS });
    if (installed.last.type !== 'done') throw new Error(JSON.stringify(installed.last));
    const ours: number[] = [];
    const raw: number[] = [];
    const rollback: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const version = `1.${i + 1}.0`;
      await v.record(core, docker, version, i % 2 === 0 ? 'alt' : 'base');
      ours.push(
        await longestGap(port, async () => {
          const r = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: version, healthTimeoutS: v.healthTimeoutS });
          if (r.last.type !== 'done') throw new Error(JSON.stringify(r.last));
        }),
      );
      raw.push(
        await longestGap(port, async () => {
          spawnSync('docker', ['restart', '-t', '8', `${stack}-${v.service}-1`]);
        }),
      );
    }
    for (let i = 0; i < Math.max(1, Math.min(ROUNDS, 2)); i++) {
      const bad = `9.${i}.0`;
      await v.record(core, docker, bad, 'failing');
      const r = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: bad, healthTimeoutS: v.healthTimeoutS });
      if (r.last.type !== 'failed' || r.last.error.code !== 'STACK_UPGRADE_ROLLED_BACK') throw new Error(`expected an automatic rollback: ${JSON.stringify(r.last)}`);
      // From the journaled failure of the health gate to the operation's end.
      const gate = core.deps.db.prepare("SELECT at FROM stack_journal WHERE operation_id = ? AND phase = 'fail' ORDER BY seq LIMIT 1").get(r.last.operationId) as { at: string };
      rollback.push((Date.parse(r.last.at) - Date.parse(gate.at)) / 1000);
    }
    return {
      baseline: `docker restart of the ${v.service} container (raw engine)`,
      series: [
        { label: 'stack.upgrade service image: /health gap', samples: ours },
        { label: `docker restart of the ${v.service} container (raw engine)`, samples: raw },
        { label: 'auto rollback after failed health gate', samples: rollback },
      ],
      notes: { targetHealthGapSeconds: 5, targetRollbackSeconds: 60 },
    };
  } finally {
    await downProject({ docker, endpoint }, stack, { deleteVolumes: true });
    core.deps.db.close();
    tmp.cleanup();
  }
}

export const stackUpgradeBench: Benchmark = {
  name: 'stack-upgrade',
  description: 'stack-test app: /health gap during a service-image upgrade (vs docker restart) and automatic rollback time after a failed health gate',
  async run() {
    ensureAppImages();
    return runVariant('app', {
      service: 'app',
      healthTimeoutS: 120,
      record: (core, docker, version, kind) => recordAppBundle(core.deps.db, docker, version, kind === 'base' ? '1' : kind === 'alt' ? '2' : '3'),
    });
  },
};

export const stackUpgradeRealBench: Benchmark = {
  name: 'stack-upgrade-real',
  description: 'real medical-ai-service + PostgreSQL + Redis + Milvus: /health gap when only the service image changes (vs docker restart), automatic rollback after a failed health gate (v3, with migration 2 and the database restore)',
  async run() {
    buildServiceImages();
    return runVariant('real', {
      service: 'service',
      healthTimeoutS: 300,
      record: (core, docker, version, kind) => {
        const image = kind === 'base' ? IMAGES['1.0.0'] : kind === 'alt' ? IMAGES['1.0.1'] : IMAGES['3.0.0'];
        return recordBundle(core.deps.db, docker, version, realServiceCompose(image), REAL_SCHEMA, [
          ['postgres', 'medai-test/postgres:15'],
          ['redis', 'medai-test/redis:7'],
          ['milvus', 'medai-test/milvus:2.3.5'],
          ['service', image],
        ]);
      },
    });
  },
};
