import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { AlertConfig, KeepRules, StackBinding } from '../contract';
import type { StateDb } from '../state/open-state';

/**
 * A stack whose compose file runs Milvus (with the etcd holding its metadata) gets the
 * Milvus component in full backups without anyone setting it.
 */
function milvusOf(stackDir: string): Partial<StackBinding> {
  const file = path.join(stackDir, 'compose.yaml');
  if (!fs.existsSync(file)) return {};
  try {
    const services = (parse(fs.readFileSync(file, 'utf8')) as { services?: Record<string, unknown> } | null)?.services ?? {};
    return services.milvus && services.etcd ? { services: { postgres: 'postgres', redis: 'redis', milvus: 'milvus', etcd: 'etcd' } } : {};
  } catch {
    return {};
  }
}

/** Small JSON settings of the backup capability, validated on the way in and out. */
export class BackupConfig {
  constructor(private readonly db: StateDb) {}

  private read(key: string): unknown {
    const row = this.db.prepare('SELECT value_json FROM backup_config WHERE key = ?').get(key) as { value_json: string } | undefined;
    return row ? JSON.parse(row.value_json) : undefined;
  }
  private write(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO backup_config (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json').run(key, JSON.stringify(value));
  }

  /**
   * How backups find the stack: what the stack engine installed (project, current version,
   * its stack folder as the config to back up), overridden field by field by what an
   * admin set explicitly. The version thus follows upgrades, which the newer-snapshot
   * refusal depends on.
   */
  stack(): StackBinding {
    return StackBinding.parse({ ...this.installedStack(), ...((this.read('stack') as object | undefined) ?? {}) });
  }

  /** Read-only look at the stack engine's records (tables of state migration 5). */
  private installedStack(): Partial<StackBinding> {
    const row = this.db.prepare("SELECT stack, current_version FROM stack_installs WHERE state = 'installed' AND current_version IS NOT NULL ORDER BY updated_at DESC LIMIT 1").get() as
      | { stack: string; current_version: string }
      | undefined;
    if (!row) return {};
    const dir = this.db.prepare('SELECT stack_dir FROM stack_versions WHERE stack = ? AND version = ?').get(row.stack, row.current_version) as { stack_dir: string } | undefined;
    return { project: row.stack, version: row.current_version, ...(dir ? { configDir: dir.stack_dir, ...milvusOf(dir.stack_dir) } : {}) };
  }
  /** Stores only the fields set explicitly, so the rest keeps following the stack engine. */
  setStack(b: Partial<StackBinding>): StackBinding {
    const explicit = { ...((this.read('stack') as object | undefined) ?? {}), ...b };
    StackBinding.parse({ ...this.installedStack(), ...explicit });
    this.write('stack', explicit);
    return this.stack();
  }
  keep(targetId: string): KeepRules {
    return KeepRules.parse(this.read(`keep:${targetId}`) ?? {});
  }
  setKeep(targetId: string, k: KeepRules): KeepRules {
    const v = KeepRules.parse(k);
    this.write(`keep:${targetId}`, v);
    return v;
  }
  alerts(): AlertConfig {
    return AlertConfig.parse(this.read('alerts') ?? {});
  }
  setAlerts(a: AlertConfig): AlertConfig {
    const v = AlertConfig.parse(a);
    this.write('alerts', v);
    return v;
  }
}
