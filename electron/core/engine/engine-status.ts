import type Docker from 'dockerode';
import type { EngineStatus } from '../contract';
import type { DockerEndpoint } from './docker-endpoint';
import { engineError } from './engine-errors';

/** Reads the engine's identity and load through the Engine API (version + info). */
export async function readEngineStatus(docker: Docker, endpoint: DockerEndpoint): Promise<EngineStatus> {
  try {
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    return {
      socket: endpoint.socketPath,
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      storageDriver: info.Driver,
      containersRunning: info.ContainersRunning,
      containersTotal: info.Containers,
      operatingSystem: info.OperatingSystem,
      kernelVersion: info.KernelVersion,
    };
  } catch (err) {
    throw engineError(err, endpoint);
  }
}
