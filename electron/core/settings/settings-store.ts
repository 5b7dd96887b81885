import type { Settings } from '../contract';
import type { StateDb } from '../state/open-state';

/** User preferences kept in the state database (shared by every face). */
export class SettingsStore {
  constructor(private readonly db: StateDb) {}

  read(): Settings {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = 'language'").get() as { value: string } | undefined;
    return { language: row ? (row.value as Settings['language']) : null };
  }

  update(patch: Partial<Settings>): Settings {
    if (patch.language) {
      this.db.prepare("INSERT INTO settings (key, value) VALUES ('language', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(patch.language);
    }
    return this.read();
  }
}
