import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCompose } from '../../../electron/core/stack/compose/compose-parse';
import { placeModels } from '../../../electron/core/stack/engine/place-models';
import { ensureVolumes } from '../../../electron/core/stack/engine/reconcile';
import { makeTempDir } from '../../support/temp-dir';
import { cleanupProjects, realEngine, testProject } from './stack-fixtures';

const access = realEngine();
const tmp = makeTempDir('stacktest-models');
const project = testProject('models');
const COMPOSE = `services:
  app:
    image: medai/debian-base:bookworm
    command: ["sleep", "60"]
    volumes:
      - models:/models:ro
volumes:
  models: {}
`;

afterAll(async () => {
  await cleanupProjects(access, [project]);
  tmp.cleanup();
});

describe('placing the bundle models in the models volume', () => {
  it('copies every file of the imported bundle into the volume, readable by the non-root service user', async () => {
    // As the bundle import leaves them: owner-only files under <data>/bundles/<v>/models/<model>/.
    const modelsDir = path.join(tmp.dir, 'bundle-models');
    fs.mkdirSync(path.join(modelsDir, 'all-MiniLM-L6-v2'), { recursive: true });
    fs.writeFileSync(path.join(modelsDir, 'all-MiniLM-L6-v2', 'model.onnx'), Buffer.alloc(4096, 7), { mode: 0o600 });
    fs.writeFileSync(path.join(modelsDir, 'all-MiniLM-L6-v2', 'manifest.json'), '{"name":"all-MiniLM-L6-v2"}', { mode: 0o600 });
    const file = path.join(tmp.dir, 'compose.yaml');
    fs.writeFileSync(file, COMPOSE);
    const model = parseCompose({ file, source: COMPOSE, vars: {} });

    await ensureVolumes(access, { project, model });
    expect(await placeModels(access, project, model, modelsDir, 60_000)).toBe(2);

    // The service's view: a read-only mount, as an unprivileged user, byte for byte the same.
    const read = execFileSync('docker', ['run', '--rm', '--user', '65534:65534', '-v', `${project}_models:/models:ro`, 'medai/debian-base:bookworm', 'sh', '-c', 'cat /models/all-MiniLM-L6-v2/manifest.json; echo; wc -c < /models/all-MiniLM-L6-v2/model.onnx'], { encoding: 'utf8' });
    expect(read.split('\n')[0]).toBe('{"name":"all-MiniLM-L6-v2"}');
    expect(read.trim().split('\n').at(-1)).toBe('4096');
    // The one-off copier is gone again.
    expect(execFileSync('docker', ['ps', '-a', '--filter', `name=${project}-models-copy`, '--format', '{{.Names}}'], { encoding: 'utf8' }).trim()).toBe('');
  });

  it('does nothing when the bundle carried no models', async () => {
    const file = path.join(tmp.dir, 'compose.yaml');
    const model = parseCompose({ file, source: COMPOSE, vars: {} });
    expect(await placeModels(access, project, model, path.join(tmp.dir, 'absent'), 60_000)).toBe(0);
  });
});
