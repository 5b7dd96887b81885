import Docker from 'dockerode';

/** Where the Docker engine is reached: a unix socket (or Windows named pipe). */
export interface DockerEndpoint {
  socketPath: string;
  /** Seconds to wait for an answer before calling the engine hung. */
  timeoutSeconds: number;
}

/** Reads DOCKER_HOST like the docker CLI does; only local sockets are supported on purpose. */
export function dockerEndpointFromEnv(env: NodeJS.ProcessEnv = process.env, platform = process.platform): DockerEndpoint {
  const host = env.DOCKER_HOST;
  const fallback = platform === 'win32' ? '//./pipe/docker_engine' : '/var/run/docker.sock';
  const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : host?.startsWith('npipe://') ? host.slice('npipe://'.length) : fallback;
  return { socketPath, timeoutSeconds: Number(env.MEDAI_DOCKER_TIMEOUT_S ?? 10) };
}

export function connectDocker(endpoint: DockerEndpoint): Docker {
  return new Docker({ socketPath: endpoint.socketPath, timeout: endpoint.timeoutSeconds * 1000 });
}
