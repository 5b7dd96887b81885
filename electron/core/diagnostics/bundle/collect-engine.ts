import { engine, type EngineAccess } from '../../stack/engine/engine-access';
import type { BundlePart } from './bundle-part';

/** `docker info` and `docker version` as the engine answers them. */
export async function collectEngine(access: EngineAccess): Promise<BundlePart[]> {
  const info: unknown = await engine(access, () => access.docker.info());
  const version: unknown = await engine(access, () => access.docker.version());
  return [
    { path: 'engine/info.json', json: info },
    { path: 'engine/version.json', json: version },
  ];
}
