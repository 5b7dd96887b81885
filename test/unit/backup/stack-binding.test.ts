import { describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';

describe('how backups find the stack', () => {
  it('follows what the stack engine installed, field by field overridden by explicit settings', () => {
    const tmp = makeTempDir('backup-binding');
    const db = openState(tmp.dir);
    const config = new BackupConfig(db);
    expect(config.stack()).toMatchObject({ project: 'medai', version: '0.0.0', configDir: null });
    db.prepare("INSERT INTO stack_installs (stack, current_version, state, config_json, installed_at, updated_at) VALUES ('medai', '1.3.0', 'installed', '{}', 't', 't')").run();
    db.prepare("INSERT INTO stack_versions (stack, version, stack_dir, first_deployed_at, last_deployed_at) VALUES ('medai', '1.3.0', '/var/lib/medai/stacks/1.3.0', 't', 't')").run();
    expect(config.stack()).toMatchObject({ project: 'medai', version: '1.3.0', configDir: '/var/lib/medai/stacks/1.3.0' });
    // An upgrade moves the version the newer-snapshot refusal compares against.
    db.prepare("UPDATE stack_installs SET current_version = '1.4.0'").run();
    expect(config.stack().version).toBe('1.4.0');
    config.setStack({ modelsDir: '/srv/models' });
    expect(config.stack()).toMatchObject({ version: '1.4.0', modelsDir: '/srv/models' });
    db.prepare("UPDATE stack_installs SET current_version = '1.5.0'").run();
    expect(config.stack()).toMatchObject({ version: '1.5.0', modelsDir: '/srv/models' });
    db.close();
    tmp.cleanup();
  });
});
