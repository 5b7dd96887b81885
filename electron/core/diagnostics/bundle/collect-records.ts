import fs from 'node:fs';
import { RunsStore } from '../../backup/runs-store';
import { TargetStore } from '../../backup/targets/target-store';
import { BundleStore } from '../../bundle/bundle-store';
import { CheckRunStore } from '../../host/check-run-store';
import { metricsKeyDir, publicView, readMetricsKey } from '../../service/metrics-key-store';
import type { StateDb } from '../../state/open-state';
import type { BundlePart } from './bundle-part';

/** The latest host check report as stored by host.check; absent when none ever ran. */
export function collectHostReport(db: StateDb): BundlePart[] {
  const store = new CheckRunStore(db);
  const latest = store.list(1)[0];
  return [{ path: 'host/latest-check.json', json: latest ? store.get(latest.runId) : null }];
}

type OpRow = { id: string; kind: string; state: string; started_at: string; ended_at: string | null; request_json: string | null };

/** The operations journal: the last `limit` operations with their requests and every event. */
export function collectOperations(db: StateDb, limit: number): BundlePart[] {
  const ops = db.prepare('SELECT id, kind, state, started_at, ended_at, request_json FROM operations ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as OpRow[];
  const events = db.prepare('SELECT event_json FROM operation_events WHERE operation_id = ? ORDER BY seq');
  const parse = (s: string | null): unknown => {
    try {
      return s === null ? null : JSON.parse(s);
    } catch {
      return s;
    }
  };
  const journal = ops.map((o) => ({
    id: o.id,
    kind: o.kind,
    state: o.state,
    startedAt: o.started_at,
    endedAt: o.ended_at,
    request: parse(o.request_json),
    events: (events.all(o.id) as { event_json: string }[]).map((e) => parse(e.event_json)),
  }));
  return [{ path: 'operations/journal.json', json: journal }];
}

export function collectBundles(db: StateDb): BundlePart[] {
  return [{ path: 'bundles/imported.json', json: new BundleStore(db).list() }];
}

/** Targets as stored (locations only: secrets live in files this never reads) and the last runs. */
export function collectBackups(db: StateDb, runs: number): BundlePart[] {
  return [
    { path: 'backup/targets.json', json: new TargetStore(db).list() },
    { path: 'backup/runs.json', json: new RunsStore(db).list({ limit: runs }) },
  ];
}

/** Which service containers the manager holds a metrics key for: names and dates, never the key. */
export function collectMetricsKeys(dataDir: string): BundlePart[] {
  let files: string[] = [];
  try {
    files = fs.readdirSync(metricsKeyDir(dataDir)).filter((f) => f.endsWith('.json'));
  } catch {
    files = [];
  }
  const keys = files.map((f) => readMetricsKey(dataDir, f.slice(0, -'.json'.length))).filter((k) => k !== undefined).map(publicView);
  return [{ path: 'service/metrics-keys.json', json: keys }];
}
