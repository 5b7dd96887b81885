import { text } from '../../contract';
import { isOutcome, need, outcome, type HostCheck } from '../check-kit';
import type { DaemonConfigFacts, HostFacts } from '../facts';
import { cidrOverlaps, DOCKER_DEFAULT_POOLS, parseCidr } from '../ipv4-cidr';
import { compareDotted } from '../nvidia-smi-xml';

const MIN_ENGINE = '20.10';
const engineLabel = text('Docker 引擎', 'the Docker engine');
const engine = (f: HostFacts) => need(f.docker, engineLabel);

/** A dockerd flag's values, in both `--flag value` and `--flag=value` forms. */
export function flagValues(args: readonly string[] | null, flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < (args ?? []).length; i++) {
    const a = args![i]!;
    if (a === flag && i + 1 < args!.length) out.push(args![++i]!);
    else if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
  }
  return out;
}

/** The json-file max-size in effect: daemon.json log-opts, or --log-opt max-size=… on dockerd. */
export function logMaxSize(cfg: DaemonConfigFacts | undefined): { value: string | null; source: string } {
  const opts = (cfg?.json?.['log-opts'] ?? {}) as Record<string, unknown>;
  if (typeof opts['max-size'] === 'string') return { value: opts['max-size'], source: cfg!.path };
  const flag = flagValues(cfg?.dockerdArgs ?? null, '--log-opt').find((v) => v.startsWith('max-size='));
  if (flag) return { value: flag.slice('max-size='.length), source: 'dockerd --log-opt' };
  return { value: null, source: cfg ? `${cfg.path}${cfg.exists ? '' : ' (absent)'} and dockerd flags` : 'unknown' };
}

/** The pools Docker allocates new networks from: daemon.json, dockerd flags, or the built-in defaults. */
export function addressPools(cfg: DaemonConfigFacts | undefined): { pools: string[]; source: string } {
  const fromJson = cfg?.json?.['default-address-pools'];
  if (Array.isArray(fromJson) && fromJson.length) return { pools: fromJson.map((p) => String((p as { base?: unknown }).base)), source: cfg!.path };
  const flags = flagValues(cfg?.dockerdArgs ?? null, '--default-address-pool').map((v) => /base=([^,]+)/.exec(v)?.[1] ?? '').filter(Boolean);
  if (flags.length) return { pools: flags, source: 'dockerd --default-address-pool' };
  return { pools: DOCKER_DEFAULT_POOLS.map((p) => p.base), source: 'Docker defaults' };
}

const restartRemedy = text('修改 /etc/docker/daemon.json 后执行 systemctl restart docker（会短暂停止容器，除非已启用 live-restore）。', 'After editing /etc/docker/daemon.json run systemctl restart docker (containers stop briefly unless live-restore is on).');

export const DOCKER_CHECKS: HostCheck[] = [
  {
    id: 'docker.engine',
    category: 'docker',
    title: text('Docker 引擎可访问', 'Docker engine reachable'),
    needs: ['docker'],
    run(f) {
      const threshold = text('套接字存在、有权限、守护进程在运行', 'socket present, permitted, daemon answering');
      if (!f.docker) return need(undefined, engineLabel) as ReturnType<HostCheck['run']>;
      if (!f.docker.ok) {
        const e = f.docker.error;
        return outcome('fail', e.code, e.code, e.message, { threshold, remedy: e.remedy, details: e.detail ? { detail: e.detail } : undefined });
      }
      const d = f.docker.value;
      return outcome('pass', d.socketPath, `${d.socketPath} answering`, text('Docker 引擎正常响应。', 'The Docker engine answers.'), { threshold });
    },
  },
  {
    id: 'docker.version',
    category: 'docker',
    title: text('Docker 引擎版本', 'Docker engine version'),
    needs: ['docker'],
    run(f) {
      const d = engine(f);
      if (isOutcome(d)) return d;
      const shown = `${d.serverVersion} (API ${d.apiVersion})`;
      const threshold = text(`≥ ${MIN_ENGINE}`, `≥ ${MIN_ENGINE}`);
      if (compareDotted(d.serverVersion, MIN_ENGINE) < 0) {
        return outcome('fail', d.serverVersion, shown, text(`Docker ${d.serverVersion} 太旧。`, `Docker ${d.serverVersion} is too old.`), {
          threshold,
          details: { apiVersion: d.apiVersion },
          remedy: text('升级 Docker 到 20.10 或更新：Debian/Ubuntu 用 apt-get install -y docker.io，RHEL 系用发行版或 Docker 官方的 docker-ce 离线 RPM。', 'Upgrade Docker to 20.10 or newer: apt-get install -y docker.io on Debian/Ubuntu; on RHEL-like systems the distribution or Docker docker-ce offline RPMs.'),
        });
      }
      return outcome('pass', d.serverVersion, shown, text('Docker 版本满足要求。', 'The Docker version is sufficient.'), { threshold, details: { apiVersion: d.apiVersion } });
    },
  },
  {
    id: 'docker.storage-driver',
    category: 'docker',
    title: text('存储驱动', 'Storage driver'),
    needs: ['docker'],
    run(f) {
      const d = engine(f);
      if (isOutcome(d)) return d;
      const drv = d.info.Driver ?? 'unknown';
      const threshold = text('overlay2', 'overlay2');
      const remedy = text('在 daemon.json 中设置 "storage-driver": "overlay2"（更换驱动后已有镜像需重新导入离线包）。', 'Set "storage-driver": "overlay2" in daemon.json (after a driver change, import the bundle again: existing images are not carried over).');
      if (drv === 'overlay2') return outcome('pass', drv, drv, text('使用推荐的 overlay2 驱动。', 'The recommended overlay2 driver is in use.'), { threshold });
      if (drv === 'vfs') return outcome('fail', drv, drv, text('vfs 驱动每层都完整复制，磁盘会很快耗尽。', 'The vfs driver copies every layer in full: the disk fills up quickly.'), { threshold, remedy });
      return outcome('warn', drv, drv, text(`存储驱动 ${drv} 未经测试。`, `The storage driver ${drv} is not tested with the stack.`), { threshold, remedy });
    },
  },
  {
    id: 'docker.cgroup-driver',
    category: 'docker',
    title: text('cgroup 驱动', 'cgroup driver'),
    needs: ['docker'],
    run(f) {
      const d = engine(f);
      if (isOutcome(d)) return d;
      const drv = d.info.CgroupDriver ?? 'unknown';
      const v = d.info.CgroupVersion ?? '?';
      const shown = `${drv} (cgroup v${v})`;
      const threshold = text('cgroup v2 时使用 systemd 驱动', 'systemd driver with cgroup v2');
      if (v === '2' && drv !== 'systemd') {
        return outcome('warn', drv, shown, text('cgroup v2 下 cgroupfs 驱动与 systemd 争夺资源管理，可能导致资源限制失效。', 'With cgroup v2, the cgroupfs driver competes with systemd for resource control; limits may not hold.'), {
          threshold,
          remedy: text(`在 daemon.json 中设置 "exec-opts": ["native.cgroupdriver=systemd"]。${restartRemedy['zh-CN']}`, `Set "exec-opts": ["native.cgroupdriver=systemd"] in daemon.json. ${restartRemedy.en}`),
        });
      }
      return outcome('pass', drv, shown, text('cgroup 驱动与 cgroup 版本匹配。', 'The cgroup driver suits the cgroup version.'), { threshold });
    },
  },
  {
    id: 'docker.log-rotation',
    category: 'docker',
    title: text('容器日志轮转', 'Container log rotation'),
    needs: ['docker', 'daemonConfig'],
    run(f) {
      const d = engine(f);
      if (isOutcome(d)) return d;
      const cfg = f.daemonConfig;
      const drv = d.info.LoggingDriver ?? 'unknown';
      const threshold = text('json-file 须设置 max-size（或使用 local / journald）', 'json-file needs max-size (or use local / journald)');
      const remedy = text(
        `在 /etc/docker/daemon.json 中加入 "log-driver": "json-file", "log-opts": {"max-size": "100m", "max-file": "5"}。${restartRemedy['zh-CN']}已有容器需重建后生效。`,
        `Add "log-driver": "json-file", "log-opts": {"max-size": "100m", "max-file": "5"} to /etc/docker/daemon.json. ${restartRemedy.en} Existing containers pick it up when recreated.`,
      );
      if (cfg?.parseError) {
        return outcome('fail', drv, `${drv}; ${cfg.path} unreadable`, text(`${cfg.path} 不是有效的 JSON：下次重启时 Docker 将无法启动。`, `${cfg.path} is not valid JSON: Docker will fail to start at its next restart.`), {
          threshold,
          details: { parseError: cfg.parseError },
          remedy: text(`修正 ${cfg.path} 的 JSON 语法（python3 -m json.tool ${cfg.path} 可定位错误）。`, `Fix the JSON syntax of ${cfg.path} (python3 -m json.tool ${cfg.path} shows where).`),
        });
      }
      if (drv === 'json-file') {
        const max = logMaxSize(cfg);
        if (!max.value) {
          return outcome('warn', null, 'json-file, no max-size', text('json-file 日志没有设置 max-size：容器日志会无限增长，直到磁盘写满。', 'json-file logs have no max-size: container logs grow without limit until the disk is full.'), {
            threshold,
            remedy,
            details: { loggingDriver: drv, checked: max.source },
          });
        }
        return outcome('pass', max.value, `json-file, max-size ${max.value}`, text('容器日志会轮转。', 'Container logs are rotated.'), { threshold, details: { source: max.source } });
      }
      if (drv === 'none') {
        return outcome('warn', drv, drv, text('容器日志被关闭：出现故障时技术支持无法收集日志。', 'Container logging is off: support cannot collect logs when something fails.'), { threshold, remedy });
      }
      return outcome('pass', drv, drv, text(`日志驱动 ${drv} 自带轮转或外送。`, `The ${drv} log driver rotates or ships logs itself.`), { threshold });
    },
  },
  {
    id: 'docker.live-restore',
    category: 'docker',
    title: text('live-restore', 'live-restore'),
    needs: ['docker'],
    run(f) {
      const d = engine(f);
      if (isOutcome(d)) return d;
      const on = d.info.LiveRestoreEnabled === true;
      const threshold = text('已启用', 'enabled');
      return on
        ? outcome('pass', true, 'enabled', text('Docker 重启或升级时容器继续运行。', 'Containers keep running while Docker restarts or upgrades.'), { threshold })
        : outcome('warn', false, 'disabled', text('live-restore 未启用：Docker 重启或升级时所有容器（包括推理服务）都会停止。', 'live-restore is off: every container, the inference service included, stops whenever Docker restarts or upgrades.'), {
            threshold,
            remedy: text(`在 /etc/docker/daemon.json 中加入 "live-restore": true，然后 systemctl reload docker（此项无需重启）。`, 'Add "live-restore": true to /etc/docker/daemon.json, then systemctl reload docker (no restart needed for this one).'),
          });
    },
  },
  {
    id: 'docker.address-pools',
    category: 'docker',
    title: text('Docker 网段与医院内网冲突', 'Docker networks vs the hospital LAN'),
    needs: ['docker', 'daemonConfig', 'network'],
    run(f) {
      const d = engine(f);
      if (isOutcome(d)) return d;
      const host = (f.network?.hostNetworks ?? []).map((h) => ({ ...h, c: parseCidr(h.cidr) })).filter((h) => h.c);
      const threshold = text('Docker 网段与本机网卡及路由的网段不重叠', "Docker's subnets do not overlap the host's interface and route networks");
      const details = { hostNetworks: host.map((h) => `${h.iface} ${h.cidr} (${h.kind})`).join(', ') || 'none' };
      const pools = addressPools(f.daemonConfig);
      const remedy = text(
        '在 /etc/docker/daemon.json 中设置不与医院网络重叠的 "bip"（默认网桥）和 "default-address-pools"，例如 {"bip": "10.231.0.1/24", "default-address-pools": [{"base": "10.232.0.0/16", "size": 24}]}；然后 systemctl restart docker，并删除冲突的网络（docker network rm）。先与网络管理员确认可用网段。',
        'Set a "bip" (default bridge) and "default-address-pools" that do not overlap the hospital network in /etc/docker/daemon.json, e.g. {"bip": "10.231.0.1/24", "default-address-pools": [{"base": "10.232.0.0/16", "size": 24}]}; then systemctl restart docker and remove clashing networks (docker network rm). Ask the network team which ranges are free.',
      );
      const clashes: string[] = [];
      for (const n of d.networks) {
        for (const s of n.subnets) {
          const c = parseCidr(s);
          const hit = c && host.find((h) => cidrOverlaps(c, h.c!));
          if (hit) clashes.push(`${n.name} ${s} ↔ ${hit.iface} ${hit.cidr}`);
        }
      }
      const bridge = d.networks.find((n) => n.name === 'bridge')?.subnets.join(', ') ?? 'none';
      if (clashes.length) {
        return outcome('fail', clashes.join('; '), clashes.join('; '), text(`Docker 网络与本机网络重叠，相关网段将无法访问：${clashes.join('；')}。`, `Docker networks overlap the host's networks; those addresses become unreachable: ${clashes.join('; ')}.`), {
          threshold,
          remedy,
          details,
        });
      }
      const poolClashes = pools.pools.flatMap((p) => {
        const c = parseCidr(p);
        const hit = c && host.find((h) => cidrOverlaps(c, h.c!));
        return hit ? [`${p} ↔ ${hit.iface} ${hit.cidr}`] : [];
      });
      if (poolClashes.length) {
        return outcome('warn', poolClashes.join('; '), `pool clash: ${poolClashes.join('; ')}`, text(`Docker 地址池（${pools.source}）与本机网络重叠：系统创建新网络时可能占用医院网段。`, `Docker's address pools (${pools.source}) overlap the host's networks: a network the stack creates may take a hospital range.`), {
          threshold,
          remedy,
          details: { ...details, pools: pools.pools.join(', ') },
        });
      }
      return outcome('pass', bridge, `bridge ${bridge}; pools from ${pools.source}`, text('Docker 网段与本机网络不冲突。', "Docker's subnets do not clash with the host's networks."), { threshold, details });
    },
  },
  {
    id: 'docker.ports',
    category: 'docker',
    title: text('系统端口可用', "The stack's ports are free"),
    needs: ['network', 'docker'],
    run(f) {
      const probes = f.network?.ports ?? [];
      const threshold = text(`端口 ${f.requirements.ports.join(', ')} 未被其他程序占用`, `ports ${f.requirements.ports.join(', ')} not used by anything else`);
      const published = f.docker?.ok ? f.docker.value.publishedPorts : [];
      // The installed stack holding its own port is fine; anything else is in the way.
      const ours = (port: number) => published.find((p) => p.port === port && p.managed);
      const busy = probes.filter((p) => !p.free && !ours(p.port));
      const details = Object.fromEntries(probes.map((p) => [String(p.port), p.free ? 'free' : (ours(p.port) ? `stack (${ours(p.port)!.container})` : (published.find((x) => x.port === p.port)?.container ?? p.code))]));
      if (busy.length) {
        const who = busy.map((p) => {
          const c = published.find((x) => x.port === p.port);
          return c ? `${p.port} (container ${c.container})` : `${p.port} (${p.code})`;
        });
        const first = busy[0]!.port;
        return outcome('fail', busy.map((p) => p.port).join(','), `in use: ${who.join(', ')}`, text(`端口已被占用：${who.join('，')}。`, `Port(s) already in use: ${who.join(', ')}.`), {
          threshold,
          details,
          remedy: text(`找出占用者：ss -ltnp 'sport = :${first}'（容器：docker ps --filter publish=${first}）；停止它，或在安装设置中为系统选择其他端口。`, `Find the owner: ss -ltnp 'sport = :${first}' (containers: docker ps --filter publish=${first}); stop it, or choose another port for the stack in the install settings.`),
        });
      }
      return outcome('pass', probes.map((p) => p.port).join(','), probes.map((p) => `${p.port} ${p.free ? 'free' : 'used by the stack'}`).join(', '), text('系统所需端口可用。', "The stack's ports are available."), { threshold, details });
    },
  },
];
