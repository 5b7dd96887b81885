import path from 'node:path';
import { apiError } from '../../contract';
import type { Fact, FsFacts } from '../facts';
import type { HostProbes } from '../host-probes';

const FS_TYPES: Record<number, string> = {
  0xef53: 'ext2/3/4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0x794c7630: 'overlayfs',
  0x6969: 'nfs',
  0xff534d42: 'cifs',
  0x2fc12fc1: 'zfs',
  0x65735546: 'fuse',
  0x5346544e: 'ntfs',
};
export const fsTypeName = (magic: number): string => FS_TYPES[magic] ?? `0x${magic.toString(16)}`;

/** statfs of a path, or of its nearest existing ancestor (the data dir may not exist before install). */
export function measureFs(p: HostProbes, target: string): Fact<FsFacts> {
  let at = path.resolve(target);
  for (;;) {
    const s = p.statfs(at);
    if (s) {
      return {
        ok: true,
        value: {
          path: target,
          measuredPath: at,
          fsType: fsTypeName(s.type),
          device: p.device(at) ?? -1,
          totalBytes: s.blocks * s.bsize,
          freeBytes: s.bavail * s.bsize,
          totalInodes: s.files,
          freeInodes: s.ffree,
        },
      };
    }
    const up = path.dirname(at);
    if (up === at) return { ok: false, error: apiError('HOST_FACT_UNAVAILABLE', { what: `statfs ${target}` }, 'statfs failed for the path and every parent directory') };
    at = up;
  }
}
