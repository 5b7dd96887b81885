import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../../electron/core/contract';
import { defaultDataDir } from '../../../electron/core/state/default-data-dir';
import { MIGRATIONS } from '../../../electron/core/state/migrations';
import { openState, schemaVersion } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';

const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((c) => c()));
const tmp = () => {
  const t = makeTempDir('state');
  temps.push(t.cleanup);
  return t.dir;
};

describe('manager state', () => {
  it('creates a WAL database, owner-only, at the latest schema', () => {
    const dir = tmp();
    const db = openState(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(fs.statSync(path.join(dir, 'state.sqlite')).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('applies only the pending migrations when reopened', () => {
    const dir = tmp();
    openState(dir, MIGRATIONS.slice(0, 1)).close();
    const extra = [...MIGRATIONS, { version: 999, name: 'test table', sql: 'CREATE TABLE later_thing (x INTEGER);' }];
    const db = openState(dir, extra);
    expect(schemaVersion(db)).toBe(999);
    expect((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(extra.length);
    db.close();
  });

  it('refuses a data dir written by a newer manager instead of guessing', () => {
    const dir = tmp();
    openState(dir).close();
    const raw = new Database(path.join(dir, 'state.sqlite'));
    raw.prepare("INSERT INTO schema_migrations VALUES (10000, 'from the future', 'x')").run();
    raw.close();
    try {
      openState(dir);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CoreError);
      expect((e as CoreError).error.code).toBe('STATE_TOO_NEW');
    }
  });

  it('names the directory when it cannot be created', () => {
    const dir = tmp();
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => openState(path.join(file, 'sub'))).toThrowError(/STATE_UNAVAILABLE/);
  });

  it('picks the per-OS default data dir', () => {
    expect(defaultDataDir({}, 'linux', 0)).toBe('/var/lib/medai');
    expect(defaultDataDir({ XDG_DATA_HOME: '/home/u/.data' }, 'linux', 1000)).toBe('/home/u/.data/medai');
    expect(defaultDataDir({ PROGRAMDATA: 'D:\\PD' }, 'win32', -1)).toBe(path.join('D:\\PD', 'medai'));
    expect(defaultDataDir({ MEDAI_DATA_DIR: '/srv/medai' }, 'linux', 0)).toBe('/srv/medai');
  });
});
