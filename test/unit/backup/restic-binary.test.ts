import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRestic, parseResticVersion } from '../../../electron/core/backup/restic/restic-binary';

// Executables that answer `version` as a given restic release does: the gate reads only that line.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medai-restic-bin-'));
const resticAnswering = (name: string, line: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, `#!/bin/sh\necho '${line}'\n`, { mode: 0o755 });
  return p;
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('which restic the manager runs', () => {
  it('reads the version restic prints', () => {
    expect(parseResticVersion('restic 0.18.1 compiled with go1.25.1 on linux/amd64\n')).toEqual([0, 18, 1]);
    expect(parseResticVersion('restic 0.14.0 compiled with go1.19.8 on linux/amd64')).toEqual([0, 14, 0]);
    expect(parseResticVersion('bash: restic: not found')).toBeNull();
  });

  it('refuses a restic older than 0.17 with BACKUP_ENGINE_TOO_OLD, naming both versions', () => {
    const old = resticAnswering('restic-0.14', 'restic 0.14.0 compiled with go1.19.8 on linux/amd64');
    let caught: unknown;
    try {
      findRestic({ MEDAI_RESTIC: old });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ error: { code: 'BACKUP_ENGINE_TOO_OLD' } });
    const err = (caught as { error: { message: { en: string; 'zh-CN': string } } }).error;
    expect(err.message.en).toContain('0.14.0');
    expect(err.message.en).toContain('0.17');
    expect(err.message['zh-CN']).toContain('0.14.0');
  });

  it('takes a restic of 0.17 or newer, and says MISSING for a path that is not there', () => {
    const good = resticAnswering('restic-0.17', 'restic 0.17.3 compiled with go1.23.1 on linux/amd64');
    expect(findRestic({ MEDAI_RESTIC: good })).toBe(good);
    expect(() => findRestic({ MEDAI_RESTIC: path.join(dir, 'nothing-here') })).toThrow(expect.objectContaining({ error: expect.objectContaining({ code: 'BACKUP_ENGINE_MISSING' }) }));
  });
});
