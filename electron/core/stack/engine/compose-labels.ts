import path from 'node:path';

/**
 * The labels and names `docker compose` (v2) and `docker-compose` (v1) use, so either CLI
 * lists, logs and inspects a stack the manager created. The manager never calls them.
 */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  version: 'com.docker.compose.version',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  image: 'com.docker.compose.image',
  dependsOn: 'com.docker.compose.depends_on',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  /** Ours: which stack version a container belongs to, for status and rollback. */
  stackVersion: 'ai.medai.stack-version',
  managedBy: 'ai.medai.managed-by',
} as const;

/** The Compose version we present; v1 and v2 both accept it (they only display it). */
export const COMPOSE_VERSION_LABEL = '1.29.2';

export const containerName = (project: string, service: string, n = 1): string => `${project}-${service}-${n}`;
export const networkName = (project: string, network: string): string => `${project}_${network}`;
export const volumeName = (project: string, volume: string): string => `${project}_${volume}`;

export function projectLabels(project: string, composeFile: string): Record<string, string> {
  return {
    [LABEL.project]: project,
    [LABEL.version]: COMPOSE_VERSION_LABEL,
    [LABEL.workingDir]: path.dirname(composeFile),
    [LABEL.configFiles]: composeFile,
    [LABEL.managedBy]: 'medai',
  };
}

export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
