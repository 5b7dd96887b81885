import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { fail } from '../../contract';

/** Label of every throwaway container and volume the backup capability makes (leftovers are found by it). */
export const HELPER_LABEL = 'medai.backup.scratch';

export interface VolumeMount {
  volume: string;
  target: string;
  readOnly?: boolean;
}

/**
 * An idle container holding volumes, for tar to read or write them: the stack's own image
 * (so tar and sh are the ones it ships), no network, nothing of its own started.
 */
export async function startVolumeHelper(docker: Docker, image: string, mounts: VolumeMount[], purpose: string): Promise<Docker.Container> {
  const c = await docker.createContainer({
    name: `medai-${purpose}-${randomBytes(3).toString('hex')}`,
    Image: image,
    Entrypoint: ['sleep', 'infinity'],
    Cmd: [],
    User: '0',
    Labels: { [HELPER_LABEL]: '1' },
    HostConfig: { NetworkMode: 'none', Mounts: mounts.map((m) => ({ Type: 'volume' as const, Source: m.volume, Target: m.target, ReadOnly: !!m.readOnly })) },
  });
  await c.start();
  return c;
}

export const removeHelper = (c: Docker.Container | undefined) => c?.remove({ force: true }).catch(() => undefined) ?? Promise.resolve();

/** The one named volume a stack service keeps its data in (Milvus: milvus-data, etcd: etcd-data). */
export function dataVolume(info: Docker.ContainerInspectInfo, component: string): { name: string; destination: string } {
  const vols = (info.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name);
  if (vols.length !== 1) {
    throw fail('BACKUP_COMPONENT_FAILED', { component, reason: `${info.Name.replace(/^\//, '')} has ${vols.length} named volumes, expected exactly one` });
  }
  return { name: vols[0]!.Name!, destination: vols[0]!.Destination };
}
