import net from 'node:net';
import { fail } from '../../contract';
import type { StackModel } from '../compose/stack-model';
import { LABEL, volumeName } from './compose-labels';
import { engine, inspectOrNull, projectContainers, type EngineAccess } from './engine-access';

/** Resolves true when nothing listens on host:port (we can bind it ourselves). */
export function portFree(hostIp: string, port: number, protocol: 'tcp' | 'udp'): Promise<boolean> {
  if (protocol === 'udp') return Promise.resolve(true);
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: hostIp === '0.0.0.0' ? undefined : hostIp, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Everything that can be checked before anything is created: images present (and the
 * IDs the bundle pinned), published ports free, named volumes not owned by another
 * project. A refusal here leaves nothing behind because nothing was made yet.
 * Returns each service's image ID.
 */
export async function preflight(access: EngineAccess, project: string, model: StackModel, services = model.services): Promise<Map<string, string>> {
  const imageIds = new Map<string, string>();
  for (const s of services) {
    const image = await engine(access, () => inspectOrNull(() => access.docker.getImage(s.pinnedImageId ?? s.image).inspect()));
    if (!image) throw fail('STACK_IMAGE_MISSING', { ref: s.image, service: s.name }, s.pinnedImageId ? `pinned ID ${s.pinnedImageId}` : undefined);
    imageIds.set(s.name, image.Id);
  }

  // Ports our own running containers already publish are ours to keep using.
  const own = await projectContainers(access, project);
  const ownPorts = new Set(own.filter((c) => c.State === 'running').flatMap((c) => c.Ports.map((p) => `${p.PublicPort}/${p.Type}`)));
  for (const s of services) {
    for (const p of s.ports) {
      if (ownPorts.has(`${p.hostPort}/${p.protocol}`)) continue;
      if (!(await portFree(p.hostIp, p.hostPort, p.protocol))) throw fail('STACK_PORT_IN_USE', { port: p.hostPort, ip: p.hostIp, service: s.name });
    }
  }

  for (const v of model.volumes) {
    const name = volumeName(project, v.name);
    const existing = await engine(access, () => inspectOrNull(() => access.docker.getVolume(name).inspect()));
    const owner = existing?.Labels?.[LABEL.project];
    if (existing && owner !== project) throw fail('STACK_VOLUME_FOREIGN', { volume: name, owner: owner ?? '(no project label)', project });
  }
  return imageIds;
}
