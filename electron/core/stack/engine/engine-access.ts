import type Docker from 'dockerode';
import { CoreError } from '../../contract';
import type { DockerEndpoint } from '../../engine/docker-endpoint';
import { engineError } from '../../engine/engine-errors';

/** The engine and where it lives (for errors that name the socket). */
export interface EngineAccess {
  docker: Docker;
  endpoint: DockerEndpoint;
}

export const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode;

/** Runs an engine call; anything but our own CoreError becomes the engine error a person can act on. */
export async function engine<T>(access: EngineAccess, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw engineError(e, access.endpoint);
  }
}

/** Inspect that answers null for "no such object" instead of throwing. */
export async function inspectOrNull<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw e;
  }
}

/** Containers of a project (all states), from the Compose project label. */
export async function projectContainers(access: EngineAccess, project: string): Promise<Docker.ContainerInfo[]> {
  return engine(access, () => access.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } }));
}
