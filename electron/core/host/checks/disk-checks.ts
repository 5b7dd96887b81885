import { text, type HostRequirements, type LocalizedText } from '../../contract';
import { formatBytes, isOutcome, need, outcome, type CheckOutcome, type HostCheck } from '../check-kit';
import type { FsFacts, HostFacts } from '../facts';
import { diskNeeds } from '../requirements';

/** Below this many free inodes image layers fail to unpack, whatever the free bytes say. */
const MIN_FREE_INODES = 100_000;
const WARN_FREE_INODES = 1_000_000;
/** Upgrades keep the previous images until the new version is healthy: ask for half again. */
const HEADROOM = 1.5;

function formula(r: HostRequirements, which: 'dockerRoot' | 'dataDir', same: boolean): LocalizedText {
  const I = formatBytes(r.imagesBytes);
  const V = formatBytes(r.volumesBytes);
  const n = r.backupCopies;
  if (same) return text(`镜像 ${I} + 数据卷 ${V} + ${n} 份备份 × ${V}（同一文件系统）`, `images ${I} + volumes ${V} + ${n} backups × ${V} (one filesystem)`);
  return which === 'dockerRoot' ? text(`镜像 ${I} + 数据卷 ${V}`, `images ${I} + volumes ${V}`) : text(`${n} 份备份 × 数据卷 ${V}`, `${n} backups × volumes ${V}`);
}

function fsOf(f: HostFacts, which: 'dockerRoot' | 'dataDir'): FsFacts | CheckOutcome {
  const label = which === 'dockerRoot' ? text('Docker 数据目录', "Docker's data root") : text('管理程序数据目录', "the manager's data directory");
  if (!f.disk) return need(undefined, label);
  return need(f.disk[which], label);
}

const sameFs = (f: HostFacts): boolean => !!(f.disk?.dockerRoot.ok && f.disk.dataDir.ok && f.disk.dockerRoot.value.device === f.disk.dataDir.value.device);

function spaceCheck(which: 'dockerRoot' | 'dataDir'): HostCheck['run'] {
  return (f) => {
    const fs = fsOf(f, which);
    if (isOutcome(fs)) return fs;
    const same = sameFs(f);
    const needed = diskNeeds(f.requirements, same)[which];
    const free = fs.freeBytes;
    const where = `${fs.path}${fs.measuredPath !== fs.path ? ` (${fs.measuredPath})` : ''}`;
    const shown = `${formatBytes(free)} / ${formatBytes(fs.totalBytes)} — ${where}`;
    const f0 = formula(f.requirements, which, same);
    const threshold = text(`≥ ${formatBytes(needed)} = ${f0['zh-CN']}；建议 ≥ ${formatBytes(needed * HEADROOM)}（升级时旧镜像保留到新版本健康）`, `≥ ${formatBytes(needed)} = ${f0.en}; ≥ ${formatBytes(needed * HEADROOM)} recommended (upgrades keep the old images until the new version is healthy)`);
    const details = { path: fs.path, measuredPath: fs.measuredPath, fsType: fs.fsType, totalBytes: fs.totalBytes, neededBytes: needed, sameFilesystem: same };
    const remedy = text(
      `为 ${fs.measuredPath} 所在磁盘扩容，或清理空间（docker image prune、删除旧日志）；也可把 Docker 数据目录（daemon.json 的 data-root）或管理程序数据目录（--data-dir）移到更大的磁盘。`,
      `Enlarge the disk that holds ${fs.measuredPath}, or free space (docker image prune, old logs); or move Docker's data-root (daemon.json) or the manager's data dir (--data-dir) to a larger disk.`,
    );
    if (free < needed) {
      return outcome('fail', free, shown, text(`可用空间 ${formatBytes(free)} 少于所需的 ${formatBytes(needed)}。`, `${formatBytes(free)} free is less than the ${formatBytes(needed)} needed.`), { threshold, remedy, details });
    }
    if (free < needed * HEADROOM) {
      return outcome('warn', free, shown, text(`可用空间 ${formatBytes(free)} 够安装，但升级时可能不足。`, `${formatBytes(free)} free is enough to install, but may run short during an upgrade.`), { threshold, remedy, details });
    }
    return outcome('pass', free, shown, text('磁盘空间充足。', 'There is enough disk space.'), { threshold, details });
  };
}

function inodeCheck(which: 'dockerRoot' | 'dataDir'): HostCheck['run'] {
  return (f) => {
    const fs = fsOf(f, which);
    if (isOutcome(fs)) return fs;
    const threshold = text(`空闲 inode ≥ ${MIN_FREE_INODES.toLocaleString('en')}；建议 ≥ ${WARN_FREE_INODES.toLocaleString('en')}`, `free inodes ≥ ${MIN_FREE_INODES.toLocaleString('en')}; ≥ ${WARN_FREE_INODES.toLocaleString('en')} recommended`);
    // btrfs and some others report 0 inodes: they allocate them dynamically.
    if (fs.totalInodes === 0) return outcome('pass', null, `dynamic (${fs.fsType})`, text('文件系统动态分配 inode。', 'The filesystem allocates inodes dynamically.'), { threshold });
    const shown = `${fs.freeInodes.toLocaleString('en')} / ${fs.totalInodes.toLocaleString('en')} — ${fs.measuredPath}`;
    const remedy = text('删除无用的小文件（旧日志、docker image prune），或把数据目录放到 inode 更多的文件系统（mkfs.ext4 -i 8192 或 XFS）。', 'Remove unneeded small files (old logs, docker image prune), or move the directory to a filesystem with more inodes (mkfs.ext4 -i 8192, or XFS).');
    if (fs.freeInodes < MIN_FREE_INODES) return outcome('fail', fs.freeInodes, shown, text('空闲 inode 不足：镜像层无法解压。', 'Too few free inodes: image layers cannot be unpacked.'), { threshold, remedy });
    if (fs.freeInodes < WARN_FREE_INODES) return outcome('warn', fs.freeInodes, shown, text('空闲 inode 偏少。', 'Free inodes are running low.'), { threshold, remedy });
    return outcome('pass', fs.freeInodes, shown, text('inode 充足。', 'There are enough free inodes.'), { threshold });
  };
}

export const DISK_CHECKS: HostCheck[] = [
  { id: 'disk.docker-root-space', category: 'disk', title: text('Docker 数据目录的可用空间', "Free space on Docker's data root"), needs: ['disk', 'docker'], run: spaceCheck('dockerRoot') },
  { id: 'disk.docker-root-inodes', category: 'disk', title: text('Docker 数据目录的 inode', "Inodes on Docker's data root"), needs: ['disk', 'docker'], run: inodeCheck('dockerRoot') },
  { id: 'disk.data-dir-space', category: 'disk', title: text('管理程序数据目录的可用空间（备份）', "Free space on the manager's data dir (backups)"), needs: ['disk', 'docker'], run: spaceCheck('dataDir') },
  { id: 'disk.data-dir-inodes', category: 'disk', title: text('管理程序数据目录的 inode', "Inodes on the manager's data dir"), needs: ['disk', 'docker'], run: inodeCheck('dataDir') },
  {
    id: 'disk.overlay2-support',
    category: 'disk',
    title: text('文件系统支持 overlay2（d_type）', 'Filesystem supports overlay2 (d_type)'),
    needs: ['disk', 'docker'],
    run(f) {
      const threshold = text('overlay2 所在文件系统须支持 d_type（XFS 需 ftype=1），不能是 NFS', "overlay2's filesystem must support d_type (XFS needs ftype=1) and must not be NFS");
      const root = fsOf(f, 'dockerRoot');
      const d = need(f.docker, text('Docker 引擎', 'the Docker engine'));
      if (isOutcome(d)) return d;
      const dtypeRow = (d.info.DriverStatus ?? []).find(([k]) => k === 'Supports d_type');
      const backing = (d.info.DriverStatus ?? []).find(([k]) => k === 'Backing Filesystem')?.[1] ?? (isOutcome(root) ? 'unknown' : root.fsType);
      const dtype = dtypeRow ? dtypeRow[1] === 'true' : null;
      const shown = `${backing}, d_type: ${dtype === null ? 'n/a' : dtype}`;
      const remedy = text(
        '把 Docker 数据目录放到 ext4 或 ftype=1 的 XFS 上（xfs_info 查看 ftype；mkfs.xfs -n ftype=1 重建），然后在 daemon.json 设置 "storage-driver": "overlay2"。',
        'Put Docker\'s data root on ext4, or on XFS with ftype=1 (check with xfs_info; recreate with mkfs.xfs -n ftype=1), then set "storage-driver": "overlay2" in daemon.json.',
      );
      if (/nfs/i.test(backing)) return outcome('fail', false, shown, text('Docker 数据目录位于 NFS 上，overlay2 无法使用。', "Docker's data root is on NFS; overlay2 cannot work there."), { threshold, remedy });
      if (dtype === false) return outcome('fail', false, shown, text('文件系统不支持 d_type：overlay2 会出错并可能丢失数据。', 'The filesystem lacks d_type: overlay2 misbehaves and can lose data.'), { threshold, remedy });
      if (dtype === null) {
        return outcome('warn', null, `${shown} (driver ${d.info.Driver ?? 'unknown'})`, text('当前存储驱动不是 overlay2，无法确认 d_type 支持。', 'The storage driver is not overlay2, so d_type support cannot be confirmed.'), { threshold, remedy });
      }
      return outcome('pass', true, shown, text('文件系统支持 overlay2。', 'The filesystem supports overlay2.'), { threshold });
    },
  },
];
