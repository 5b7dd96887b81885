import { AlertConfig, KeepRules, StackBinding } from '../contract';
import type { StateDb } from '../state/open-state';

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

  stack(): StackBinding {
    return StackBinding.parse(this.read('stack') ?? {});
  }
  setStack(b: Partial<StackBinding>): StackBinding {
    const v = StackBinding.parse({ ...this.stack(), ...b });
    this.write('stack', v);
    return v;
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
