import { text } from '../../contract';
import { formatBytes, GiB, outcome, type HostCheck } from '../check-kit';
import type { SystemFacts } from '../facts';
import { compareDotted } from '../nvidia-smi-xml';

/** Distributions the stack is tested on (major versions); others may work but are not supported. */
const SUPPORTED_OS: Record<string, string[]> = {
  debian: ['11', '12', '13'],
  ubuntu: ['20.04', '22.04', '24.04'],
  rhel: ['8', '9'],
  rocky: ['8', '9'],
  almalinux: ['8', '9'],
  ol: ['8', '9'],
  openEuler: ['20.03', '22.03', '24.03'],
  kylin: ['V10'],
  uos: ['20'],
};

const sys = (f: { system?: SystemFacts }): SystemFacts => f.system!;

export const SYSTEM_CHECKS: HostCheck[] = [
  {
    id: 'system.os',
    category: 'system',
    title: text('操作系统与版本', 'Operating system and version'),
    needs: ['system'],
    run(f) {
      const os = sys(f).osRelease;
      const threshold = text('受支持：Debian 11–13、Ubuntu 20.04–24.04、RHEL/Rocky/Alma 8–9、openEuler、麒麟 V10、统信 UOS 20', 'Supported: Debian 11–13, Ubuntu 20.04–24.04, RHEL/Rocky/Alma 8–9, openEuler, Kylin V10, UOS 20');
      if (!os) {
        return outcome('warn', null, 'unknown', text('无法识别操作系统（/etc/os-release 不存在）。', 'The operating system cannot be identified (/etc/os-release is missing).'), {
          threshold,
          remedy: text('在受支持的 Linux 发行版上安装。', 'Install on a supported Linux distribution.'),
        });
      }
      const major = os.id === 'ubuntu' || os.id === 'openEuler' ? os.versionId : os.versionId.split('.')[0]!;
      const ok = (SUPPORTED_OS[os.id] ?? []).some((v) => major.toLowerCase().startsWith(v.toLowerCase()));
      return ok
        ? outcome('pass', os.prettyName, os.prettyName, text('操作系统受支持。', 'The operating system is supported.'), { threshold })
        : outcome('warn', os.prettyName, os.prettyName, text(`${os.prettyName} 不在已测试的系统列表中。`, `${os.prettyName} is not on the list of tested systems.`), {
            threshold,
            remedy: text('可以继续，但出现问题时技术支持可能要求换用受支持的系统。', 'You may continue, but support may ask you to move to a supported system if problems arise.'),
          });
    },
  },
  {
    id: 'system.kernel',
    category: 'system',
    title: text('内核版本', 'Kernel version'),
    needs: ['system'],
    run(f) {
      const k = sys(f).kernel;
      const threshold = text('≥ 3.10（最低）；建议 ≥ 4.15', '≥ 3.10 (minimum); ≥ 4.15 recommended');
      if (compareDotted(k, '3.10') < 0) {
        return outcome('fail', k, k, text(`内核 ${k} 太旧，Docker 无法运行。`, `Kernel ${k} is too old for Docker.`), {
          threshold,
          remedy: text('升级操作系统或内核到 4.15 以上。', 'Upgrade the operating system or kernel to 4.15 or newer.'),
        });
      }
      if (compareDotted(k, '4.15') < 0) {
        return outcome('warn', k, k, text(`内核 ${k} 较旧：overlay2 和 cgroup 功能受限。`, `Kernel ${k} is old: overlay2 and cgroup features are limited.`), {
          threshold,
          remedy: text('建议升级到发行版当前支持的内核（≥ 4.15）。', "Upgrade to the distribution's current kernel (≥ 4.15) when possible."),
        });
      }
      return outcome('pass', k, k, text('内核版本满足要求。', 'The kernel version is sufficient.'), { threshold });
    },
  },
  {
    id: 'system.arch',
    category: 'system',
    title: text('CPU 架构', 'CPU architecture'),
    needs: ['system'],
    run(f) {
      const a = sys(f).arch;
      const threshold = text('x86_64（离线包中的镜像为 amd64）', 'x86_64 (the bundle ships amd64 images)');
      return a === 'x86_64'
        ? outcome('pass', a, a, text('架构与离线包镜像一致。', "The architecture matches the bundle's images."), { threshold })
        : outcome('fail', a, a, text(`架构 ${a} 无法运行离线包中的 amd64 镜像。`, `Architecture ${a} cannot run the bundle's amd64 images.`), {
            threshold,
            remedy: text('使用 x86_64 服务器，或向厂商索取该架构的离线包。', 'Use an x86_64 server, or ask the vendor for a bundle built for this architecture.'),
          });
    },
  },
  {
    id: 'system.cgroup',
    category: 'system',
    title: text('cgroup 版本', 'cgroup version'),
    needs: ['system'],
    run(f) {
      const c = sys(f).cgroup;
      const threshold = text('cgroup v2（v1 可用但已被弃用）', 'cgroup v2 (v1 works but is deprecated)');
      if (c === '2') return outcome('pass', c, 'v2', text('使用 cgroup v2。', 'cgroup v2 is in use.'), { threshold });
      if (c === 'unknown') {
        return outcome('error', null, 'unknown', text('无法读取 /sys/fs/cgroup。', '/sys/fs/cgroup cannot be read.'), {
          threshold,
          remedy: text('确认 /sys/fs/cgroup 已挂载（容器内运行时需要挂载主机的 cgroup）。', 'Make sure /sys/fs/cgroup is mounted (when run in a container, mount the host cgroup).'),
        });
      }
      return outcome('warn', c, c === 'hybrid' ? 'v1 (hybrid)' : 'v1', text('使用 cgroup v1：目前可以运行，但 systemd 与 Docker 已弃用它。', 'cgroup v1 is in use: it works today, but systemd and Docker have deprecated it.'), {
        threshold,
        remedy: text('下次维护时切换到 cgroup v2：内核参数加 systemd.unified_cgroup_hierarchy=1 后重启。', 'At the next maintenance, switch to cgroup v2: add systemd.unified_cgroup_hierarchy=1 to the kernel command line and reboot.'),
      });
    },
  },
  {
    id: 'system.cpu',
    category: 'system',
    title: text('CPU 核数', 'CPU cores'),
    needs: ['system'],
    run(f) {
      const s = sys(f);
      const n = s.cpus;
      const shown = `${n} (${s.cpuModel}${s.avx2 === false ? ', no AVX2' : ''})`;
      const threshold = text('≥ 2（最低）；建议 ≥ 8', '≥ 2 (minimum); ≥ 8 recommended');
      const details = { model: s.cpuModel, avx2: s.avx2, virtualization: s.virtual };
      if (n < 2) {
        return outcome('fail', n, shown, text(`只有 ${n} 个 CPU 核，系统无法运行。`, `Only ${n} CPU core(s): the stack cannot run.`), {
          threshold,
          details,
          remedy: text('为服务器（或虚拟机）分配至少 2 个、建议 8 个 CPU 核。', 'Give the server (or VM) at least 2, better 8, CPU cores.'),
        });
      }
      if (n < 8) {
        return outcome('warn', n, shown, text(`${n} 个 CPU 核可以运行，但并发推理和备份时会变慢。`, `${n} CPU cores will run the stack, but concurrent inference and backups will be slow.`), {
          threshold,
          details,
          remedy: text('建议分配至少 8 个 CPU 核。', 'Give the server at least 8 CPU cores.'),
        });
      }
      return outcome('pass', n, shown, text('CPU 核数满足建议值。', 'The CPU core count meets the recommendation.'), { threshold, details });
    },
  },
  {
    id: 'system.memory',
    category: 'system',
    title: text('内存', 'Memory'),
    needs: ['system'],
    run(f) {
      const m = sys(f).memTotalBytes;
      const threshold = text('≥ 8 GiB（最低）；建议 ≥ 32 GiB', '≥ 8 GiB (minimum); ≥ 32 GiB recommended');
      if (m === null) {
        return outcome('error', null, 'unknown', text('无法读取 /proc/meminfo。', '/proc/meminfo cannot be read.'), {
          threshold,
          remedy: text('确认 /proc 已挂载。', 'Make sure /proc is mounted.'),
        });
      }
      if (m < 8 * GiB) {
        return outcome('fail', m, formatBytes(m), text(`内存 ${formatBytes(m)} 不足以运行数据库、向量库和推理服务。`, `${formatBytes(m)} of memory is not enough for the databases, the vector store and inference.`), {
          threshold,
          remedy: text('把内存增加到至少 8 GiB，建议 32 GiB。', 'Add memory: at least 8 GiB, 32 GiB recommended.'),
        });
      }
      if (m < 32 * GiB) {
        return outcome('warn', m, formatBytes(m), text(`内存 ${formatBytes(m)} 可以运行，但大型模型和并发请求时可能不足。`, `${formatBytes(m)} of memory will run the stack, but may run short with large models and concurrent requests.`), {
          threshold,
          remedy: text('建议增加到 32 GiB 或以上。', 'Consider 32 GiB or more.'),
        });
      }
      return outcome('pass', m, formatBytes(m), text('内存满足建议值。', 'Memory meets the recommendation.'), { threshold });
    },
  },
  {
    id: 'system.time-sync',
    category: 'system',
    title: text('时间同步', 'Time synchronisation'),
    needs: ['system'],
    run(f) {
      const t = sys(f).timeSync;
      const threshold = text('NTP 已同步，偏差 < 1 秒', 'NTP synchronised, offset < 1 s');
      const remedy = text(
        '启用时间同步：apt-get install -y chrony（或 yum install -y chrony），在 /etc/chrony.conf 中写入医院的 NTP 服务器，然后 systemctl enable --now chronyd。',
        "Enable time sync: apt-get install -y chrony (or yum install -y chrony), put the hospital's NTP server into the chrony config, then systemctl enable --now chronyd.",
      );
      const details = { source: t.source, detail: t.detail, offsetSeconds: t.offsetSeconds };
      if (t.source === 'none') {
        return outcome('warn', null, 'no NTP client', text('未发现时间同步服务（chrony / systemd-timesyncd），无法测量时钟偏差。审计日志和证书依赖准确时间。', 'No time sync service (chrony / systemd-timesyncd) was found, so the clock offset cannot be measured. Audit logs and certificates depend on an accurate clock.'), {
          threshold,
          remedy,
          details,
        });
      }
      if (t.synchronized === false) {
        return outcome('warn', t.offsetSeconds, `${t.source}: not synchronised`, text('时间同步服务存在但尚未同步。', 'A time sync service is present but not synchronised.'), { threshold, remedy, details });
      }
      if (t.offsetSeconds !== null && Math.abs(t.offsetSeconds) >= 1) {
        return outcome('warn', t.offsetSeconds, `${t.offsetSeconds.toFixed(3)} s`, text(`时钟偏差 ${t.offsetSeconds.toFixed(3)} 秒。`, `The clock is off by ${t.offsetSeconds.toFixed(3)} s.`), { threshold, remedy, details });
      }
      const shown = t.offsetSeconds !== null ? `${t.source}: ${t.offsetSeconds.toFixed(6)} s` : `${t.source}: synchronised`;
      return outcome('pass', t.offsetSeconds ?? true, shown, text('时间已同步。', 'The clock is synchronised.'), { threshold, details });
    },
  },
  {
    id: 'system.security-module',
    category: 'system',
    title: text('SELinux / AppArmor', 'SELinux / AppArmor'),
    needs: ['system', 'docker'],
    run(f) {
      const s = sys(f);
      const shown = `SELinux: ${s.selinux}; AppArmor: ${s.apparmor}`;
      const threshold = text('SELinux 强制模式时 Docker 需启用 selinux 支持', 'With SELinux enforcing, Docker must run with SELinux support');
      const dockerSelinux = f.docker?.ok ? (f.docker.value.info.SecurityOptions ?? []).some((o) => o.includes('selinux')) : null;
      if (s.selinux === 'enforcing' && dockerSelinux === false) {
        return outcome('warn', shown, shown, text('SELinux 处于强制模式，但 Docker 未启用 SELinux 支持：卷挂载可能被拒绝。', 'SELinux is enforcing but Docker runs without SELinux support: volume mounts may be denied.'), {
          threshold,
          remedy: text('在 /etc/docker/daemon.json 中设置 "selinux-enabled": true 并安装 container-selinux，然后重启 Docker。', 'Set "selinux-enabled": true in /etc/docker/daemon.json, install container-selinux, then restart Docker.'),
        });
      }
      return outcome('pass', shown, shown, text('安全模块设置与 Docker 兼容。', 'The security module settings are compatible with Docker.'), { threshold });
    },
  },
];
