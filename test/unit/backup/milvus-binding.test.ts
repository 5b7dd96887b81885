import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { componentsFor } from '../../../electron/core/backup/snapshot/run-backup';
import { openState } from '../../../electron/core/state/open-state';
import { REPO_ROOT } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';

describe('Milvus in the backups of an installed stack', () => {
  const install = (compose: string | null) => {
    const tmp = makeTempDir('backup-milvus-binding');
    const stackDir = path.join(tmp.dir, 'stacks', '1.4.0');
    fs.mkdirSync(stackDir, { recursive: true });
    if (compose !== null) fs.writeFileSync(path.join(stackDir, 'compose.yaml'), compose);
    const db = openState(path.join(tmp.dir, 'data'));
    db.prepare("INSERT INTO stack_installs (stack, current_version, state, config_json, installed_at, updated_at) VALUES ('medai', '1.4.0', 'installed', '{}', 't', 't')").run();
    db.prepare("INSERT INTO stack_versions (stack, version, stack_dir, first_deployed_at, last_deployed_at) VALUES ('medai', '1.4.0', ?, 't', 't')").run(stackDir);
    return { config: new BackupConfig(db), done: () => (db.close(), tmp.cleanup()) };
  };

  it('the shipped stack (Milvus + etcd in its compose file) gets Milvus in the daily full backup, never in the hourly one', () => {
    const s = install(fs.readFileSync(path.join(REPO_ROOT, 'bundles/medical-ai-stack/compose.yaml'), 'utf8'));
    const b = s.config.stack();
    expect(b.services).toEqual({ postgres: 'postgres', redis: 'redis', milvus: 'milvus', etcd: 'etcd' });
    expect(componentsFor('full', b)).toContain('milvus');
    expect(componentsFor('online', b)).not.toContain('milvus');
    s.done();
  });

  it('a stack without Milvus, without a compose file or with a broken one has no Milvus component', () => {
    for (const compose of ['services:\n  postgres: {image: x}\n  redis: {image: y}\n', null, 'services: [unclosed']) {
      const s = install(compose);
      const b = s.config.stack();
      expect(b.services.milvus).toBeNull();
      expect(componentsFor('full', b)).not.toContain('milvus');
      s.done();
    }
  });

  it('an explicit binding wins over what the compose file says', () => {
    const s = install(fs.readFileSync(path.join(REPO_ROOT, 'bundles/medical-ai-stack/compose.yaml'), 'utf8'));
    s.config.setStack({ services: { postgres: 'postgres', redis: 'redis', milvus: null, etcd: 'etcd' } });
    expect(componentsFor('full', s.config.stack())).not.toContain('milvus');
    s.done();
  });
});
