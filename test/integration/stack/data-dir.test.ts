import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCompose } from '../../../electron/core/stack/compose/compose-parse';
import { parseEnvFile } from '../../../electron/core/stack/compose/interpolate';
import { applyStack } from '../../../electron/core/stack/engine/reconcile';
import { makeTempDir } from '../../support/temp-dir';
import { cleanupProjects, ensureTestImages, PG_REDIS_COMPOSE, realEngine, testProject, writeStackDir } from './stack-fixtures';

const access = realEngine();
const tmp = makeTempDir('stacktest-datadir');
const project = testProject('datadir');
const ENV = { POSTGRES_PASSWORD: 'pw-datadir-test', REDIS_PASSWORD: 'redis-pw-datadir' };

beforeAll(() => ensureTestImages());
afterAll(async () => {
  await cleanupProjects(access, [project]);
  tmp.cleanup();
});

describe('the installer-chosen data directory', () => {
  it('puts every named volume of the stack in its own folder there, and the database writes into it', async () => {
    const stackDir = path.join(tmp.dir, 'stack');
    const dataDir = path.join(tmp.dir, 'patient-data');
    const file = writeStackDir(stackDir, PG_REDIS_COMPOSE, ENV);
    const model = parseCompose({ file, source: PG_REDIS_COMPOSE, vars: parseEnvFile(fs.readFileSync(path.join(stackDir, '.env'), 'utf8')) });
    await applyStack(access, { project, model, stackVersion: '1.0.0', gpu: false, volumeRoot: dataDir, healthTimeoutMs: 90_000 });

    for (const v of model.volumes) {
      const folder = path.join(dataDir, project, v.name);
      expect(fs.statSync(folder).isDirectory(), folder).toBe(true);
      const info = await access.docker.getVolume(`${project}_${v.name}`).inspect();
      expect(info.Options).toMatchObject({ type: 'none', o: 'bind', device: folder });
      expect(info.Labels['com.docker.compose.project']).toBe(project);
    }
    // PostgreSQL initialised its cluster in the chosen folder, not under Docker's data root.
    const pgVolume = model.volumes.find((v) => fs.existsSync(path.join(dataDir, project, v.name, 'PG_VERSION')) || fs.readdirSync(path.join(dataDir, project, v.name)).includes('base'));
    expect(pgVolume, `PG_VERSION under ${dataDir}`).toBeDefined();
  });
});
