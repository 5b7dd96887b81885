import type Docker from 'dockerode';
import { fail } from '../../contract';

/**
 * Finds a stack service's running container by the Compose labels the stack engine writes
 * (com.docker.compose.project / .service), so backups follow whatever container the
 * reconciler created last instead of a remembered id.
 */
export async function findServiceContainer(docker: Docker, project: string, service: string): Promise<string> {
  const found = await docker.listContainers({
    filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${service}`], status: ['running'] },
  });
  const c = found[0];
  if (!c) throw fail('BACKUP_STACK_SERVICE_MISSING', { service, container: `${project}-${service}` });
  return c.Id;
}
