import { systemClock } from './clock';
import { createCore, type Core } from './core';
import { connectDocker, dockerEndpointFromEnv } from './engine/docker-endpoint';
import { defaultDataDir } from './state/default-data-dir';
import { openState } from './state/open-state';

/** Wires the core to the real machine: the data dir's SQLite, the local engine, the clock. */
export function openCore(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Core {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? defaultDataDir(env);
  const dockerEndpoint = dockerEndpointFromEnv(env);
  return createCore({ dataDir, db: openState(dataDir), docker: connectDocker(dockerEndpoint), dockerEndpoint, clock: systemClock });
}
