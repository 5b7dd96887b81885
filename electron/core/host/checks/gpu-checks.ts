import { text } from '../../contract';
import { GiB, isOutcome, need, outcome, type CheckOutcome, type HostCheck } from '../check-kit';
import type { HostFacts } from '../facts';
import { compareDotted, type NvidiaGpu } from '../nvidia-smi-xml';
import { gpuRuntimeAvailable } from '../collect/smoke-facts';

const cpuMode = text('CPU 模式：推理可以运行，但速度较慢。', 'CPU mode: inference runs, but slower.');
const MIN_GPU_MEMORY = 8 * GiB;

/** The GPUs to judge, or the outcome that says why there are none to judge. */
function gpusOf(f: HostFacts): NvidiaGpu[] | CheckOutcome {
  const smi = f.gpu?.nvidiaSmi;
  if (!smi) return need(undefined, text('GPU 信息', 'the GPUs'));
  if (smi.state === 'ok' && smi.report.gpus.length) return smi.report.gpus;
  if (smi.state === 'ok' || smi.state === 'missing') return outcome('pass', null, 'n/a (no NVIDIA GPU)', text(`不适用：没有可用的 NVIDIA GPU。${cpuMode['zh-CN']}`, `Not applicable: no usable NVIDIA GPU. ${cpuMode.en}`));
  return outcome('error', null, `not measured (${smi.state})`, text('未测量：nvidia-smi 没有给出可用结果（见 gpu.nvidia）。', 'Not measured: nvidia-smi gave no usable answer (see gpu.nvidia).'), {
    remedy: text('先解决 gpu.nvidia 检查的问题。', 'Fix what the gpu.nvidia check reports first.'),
  });
}

const gib = (mib: number | null) => (mib === null ? 'n/a' : `${(mib / 1024).toFixed(1)} GiB`);
const perGpu = (gpus: NvidiaGpu[], fmt: (g: NvidiaGpu) => string | number | boolean | null) => Object.fromEntries(gpus.map((g) => [`gpu${g.index} ${g.name}`, fmt(g)]));

export const GPU_CHECKS: HostCheck[] = [
  {
    id: 'gpu.nvidia',
    category: 'gpu',
    title: text('NVIDIA GPU', 'NVIDIA GPUs'),
    needs: ['gpu'],
    run(f) {
      const g = f.gpu;
      if (!g) return need(undefined, text('GPU 信息', 'the GPUs'));
      const smi = g.nvidiaSmi;
      const threshold = text('至少一块 NVIDIA GPU（可选：没有时以 CPU 模式运行）', 'at least one NVIDIA GPU (optional: without one the stack runs in CPU mode)');
      const pci = g.pciGpus.map((p) => p.model).join(', ');
      const installDriver = text(
        '安装 NVIDIA 驱动（与离线包同版本要求，见 gpu.driver）：使用 NVIDIA 官网的 .run 离线安装包或发行版的驱动包，安装后重启并运行 nvidia-smi 确认。',
        "Install the NVIDIA driver (version: see gpu.driver) from NVIDIA's offline .run installer or the distribution's driver packages, reboot, and confirm with nvidia-smi.",
      );
      if (smi.state === 'missing') {
        if (g.pciGpus.length) {
          return outcome('warn', 0, `no driver; PCI: ${pci}`, text(`发现 NVIDIA 显卡（${pci}），但没有安装驱动（找不到 ${smi.path}）。${cpuMode['zh-CN']}`, `An NVIDIA card is on the PCI bus (${pci}) but no driver is installed (${smi.path} not found). ${cpuMode.en}`), {
            threshold,
            remedy: installDriver,
          });
        }
        return outcome('warn', 0, 'none', text(`没有 NVIDIA GPU（找不到 ${smi.path}）。${cpuMode['zh-CN']}`, `No NVIDIA GPU (${smi.path} not found). ${cpuMode.en}`), {
          threshold,
          remedy: text('如需 GPU 加速，安装 NVIDIA 数据中心 GPU 及其驱动；否则无需处理。', 'For GPU acceleration install an NVIDIA data-centre GPU and its driver; otherwise nothing to do.'),
        });
      }
      if (smi.state === 'failed') {
        if (/No devices were found/i.test(smi.detail)) {
          return outcome('warn', 0, 'none', text(`驱动已安装但没有找到 GPU。${cpuMode['zh-CN']}`, `The driver is installed but finds no GPU. ${cpuMode.en}`), { threshold, remedy: installDriver, details: { detail: smi.detail } });
        }
        return outcome('fail', null, 'nvidia-smi failed', text(`nvidia-smi 运行失败，驱动可能未加载或与内核不匹配：${smi.detail}`, `nvidia-smi failed; the driver may not be loaded or may not match the kernel: ${smi.detail}`), {
          threshold,
          details: { detail: smi.detail },
          remedy: text('重新安装与当前内核匹配的驱动（内核升级后常见），重启后运行 nvidia-smi 确认；dmesg | grep -i nvrm 查看驱动错误。', 'Reinstall the driver for the running kernel (common after a kernel update), reboot, and confirm with nvidia-smi; see driver errors with dmesg | grep -i nvrm.'),
        });
      }
      if (smi.state !== 'ok') {
        return outcome('error', null, 'unreadable output', text(`无法解析 nvidia-smi -q -x 的输出：${smi.detail}`, `The output of nvidia-smi -q -x cannot be parsed: ${smi.detail}`), {
          threshold,
          details: { detail: smi.detail },
          remedy: text('手动运行 nvidia-smi -q -x 查看输出；输出被截断通常表示驱动异常，重启后重试，仍失败请导出诊断包联系技术支持。', 'Run nvidia-smi -q -x by hand and look at the output; a cut-off answer usually means a driver fault. Reboot and retry; if it persists export a diagnostics bundle for support.'),
        });
      }
      const gpus = smi.report.gpus;
      if (!gpus.length) return outcome('warn', 0, 'none', text(`驱动 ${smi.report.driverVersion} 未报告任何 GPU。${cpuMode['zh-CN']}`, `Driver ${smi.report.driverVersion} reports no GPU. ${cpuMode.en}`), { threshold, remedy: installDriver });
      const names = gpus.map((x) => x.name);
      const shown = `${gpus.length} × ${[...new Set(names)].join(', ')}`;
      return outcome('pass', gpus.length, shown, text(`发现 ${gpus.length} 块 NVIDIA GPU。`, `${gpus.length} NVIDIA GPU(s) found.`), {
        threshold,
        details: { ...perGpu(gpus, (x) => x.busId), driver: smi.report.driverVersion, cuda: smi.report.cudaVersion, format: smi.report.dtd },
      });
    },
  },
  {
    id: 'gpu.driver',
    category: 'gpu',
    title: text('NVIDIA 驱动版本', 'NVIDIA driver version'),
    needs: ['gpu'],
    run(f) {
      const gpus = gpusOf(f);
      if (isOutcome(gpus)) return gpus;
      const r = f.gpu!.nvidiaSmi.state === 'ok' ? f.gpu!.nvidiaSmi.report : null;
      const min = f.requirements.minDriverVersion;
      const drv = r!.driverVersion;
      const shown = `${drv} (CUDA ${r!.cudaVersion ?? 'n/a'})`;
      const threshold = text(`≥ ${min}（服务基于 CUDA ${f.requirements.cudaBuild} 构建）`, `≥ ${min} (the service is built for CUDA ${f.requirements.cudaBuild})`);
      if (compareDotted(drv, min) < 0) {
        return outcome('fail', drv, shown, text(`驱动 ${drv} 太旧，无法运行基于 CUDA ${f.requirements.cudaBuild} 的推理服务。`, `Driver ${drv} is too old for the inference service built for CUDA ${f.requirements.cudaBuild}.`), {
          threshold,
          remedy: text(`把 NVIDIA 驱动升级到 ${min} 或更新（数据中心 GPU 建议用 NVIDIA 的长期支持分支，如 535 或 550），升级后重启。`, `Upgrade the NVIDIA driver to ${min} or newer (for data-centre GPUs prefer an NVIDIA long-term branch such as 535 or 550), then reboot.`),
        });
      }
      return outcome('pass', drv, shown, text('驱动版本满足服务的 CUDA 要求。', "The driver meets the service's CUDA requirement."), { threshold });
    },
  },
  {
    id: 'gpu.memory',
    category: 'gpu',
    title: text('GPU 显存', 'GPU memory'),
    needs: ['gpu'],
    run(f) {
      const gpus = gpusOf(f);
      if (isOutcome(gpus)) return gpus;
      const threshold = text('至少一块 GPU 有 ≥ 8 GiB 空闲显存', 'at least one GPU with ≥ 8 GiB free');
      const details = perGpu(gpus, (g) => `${gib(g.memoryFreeMiB)} free of ${gib(g.memoryTotalMiB)}`);
      const best = Math.max(...gpus.map((g) => g.memoryTotalMiB ?? 0)) * 1024 * 1024;
      const bestFree = Math.max(...gpus.map((g) => g.memoryFreeMiB ?? g.memoryTotalMiB ?? 0)) * 1024 * 1024;
      const shown = gpus.map((g) => `gpu${g.index}: ${gib(g.memoryFreeMiB)} / ${gib(g.memoryTotalMiB)}`).join('; ');
      if (best < MIN_GPU_MEMORY) {
        return outcome('warn', bestFree, shown, text('显存不足 8 GiB：较大的模型将回退到 CPU。', 'Less than 8 GiB of GPU memory: larger models fall back to the CPU.'), {
          threshold,
          details,
          remedy: text('使用显存 ≥ 16 GiB 的数据中心 GPU（如 T4、L4、A10、A100）。', 'Use a data-centre GPU with ≥ 16 GiB (T4, L4, A10, A100...).'),
        });
      }
      if (bestFree < MIN_GPU_MEMORY) {
        return outcome('warn', bestFree, shown, text('显存被其他进程占用，空闲不足 8 GiB。', 'Other processes hold the GPU memory: less than 8 GiB is free.'), {
          threshold,
          details,
          remedy: text('用 nvidia-smi 查看占用显存的进程，停止不属于本系统的 GPU 程序。', 'See the processes holding GPU memory with nvidia-smi and stop the GPU programs that do not belong to the stack.'),
        });
      }
      return outcome('pass', bestFree, shown, text('显存充足。', 'There is enough GPU memory.'), { threshold, details });
    },
  },
  {
    id: 'gpu.ecc',
    category: 'gpu',
    title: text('GPU ECC 错误', 'GPU ECC errors'),
    needs: ['gpu'],
    run(f) {
      const gpus = gpusOf(f);
      if (isOutcome(gpus)) return gpus;
      const threshold = text('无不可纠正 ECC 错误，无待退役页', 'no uncorrectable ECC errors, no pages pending retirement');
      const details = perGpu(gpus, (g) => `ecc ${g.eccMode ?? 'n/a'}; uncorrectable volatile ${g.eccUncorrectableVolatile ?? 'n/a'}, aggregate ${g.eccUncorrectableAggregate ?? 'n/a'}; pending ${g.pendingRetirement}`);
      const bad = gpus.filter((g) => (g.eccUncorrectableVolatile ?? 0) > 0 || g.remapFailure);
      const worn = gpus.filter((g) => (g.eccUncorrectableAggregate ?? 0) > 0 || g.pendingRetirement);
      const total = gpus.reduce((n, g) => n + (g.eccUncorrectableVolatile ?? 0), 0);
      const shown = gpus.map((g) => `gpu${g.index}: ${g.eccUncorrectableVolatile ?? 'n/a'} volatile / ${g.eccUncorrectableAggregate ?? 'n/a'} aggregate${g.pendingRetirement ? ', retirement pending' : ''}`).join('; ');
      if (bad.length) {
        return outcome('fail', total, shown, text(`GPU ${bad.map((g) => g.index).join(', ')} 自驱动加载以来出现不可纠正的 ECC 错误：计算结果可能错误。`, `GPU ${bad.map((g) => g.index).join(', ')} had uncorrectable ECC errors since the driver loaded: results may be wrong.`), {
          threshold,
          details,
          remedy: text('停止 GPU 负载后重置 GPU（nvidia-smi -r -i <编号>）或重启服务器；错误再次出现时联系硬件厂商更换 GPU。', 'Stop GPU work and reset the GPU (nvidia-smi -r -i <index>) or reboot; if the errors come back, have the hardware vendor replace the GPU.'),
        });
      }
      if (worn.length) {
        return outcome('warn', total, shown, text(`GPU ${worn.map((g) => g.index).join(', ')} 曾出现不可纠正错误或有待退役的显存页。`, `GPU ${worn.map((g) => g.index).join(', ')} had uncorrectable errors in the past or has memory pages pending retirement.`), {
          threshold,
          details,
          remedy: text('在维护窗口重启服务器以完成页退役/行重映射；持续增长时联系硬件厂商。', 'Reboot in a maintenance window so page retirement / row remapping completes; if the count keeps growing contact the hardware vendor.'),
        });
      }
      return outcome('pass', total, shown, text('没有不可纠正的 ECC 错误。', 'No uncorrectable ECC errors.'), { threshold, details });
    },
  },
  {
    id: 'gpu.persistence',
    category: 'gpu',
    title: text('持久模式', 'Persistence mode'),
    needs: ['gpu'],
    run(f) {
      const gpus = gpusOf(f);
      if (isOutcome(gpus)) return gpus;
      const off = gpus.filter((g) => g.persistenceMode !== 'Enabled');
      const shown = gpus.map((g) => `gpu${g.index}: ${g.persistenceMode ?? 'n/a'}`).join('; ');
      const threshold = text('已启用', 'Enabled');
      if (off.length) {
        return outcome('warn', false, shown, text('持久模式未启用：空闲时驱动会卸载，首次推理和容器启动变慢。', 'Persistence mode is off: the driver unloads when idle, so the first inference and container starts are slow.'), {
          threshold,
          remedy: text('启用 nvidia-persistenced 服务：systemctl enable --now nvidia-persistenced（或 nvidia-smi -pm 1，重启后失效）。', 'Enable the nvidia-persistenced service: systemctl enable --now nvidia-persistenced (or nvidia-smi -pm 1, lost at reboot).'),
        });
      }
      return outcome('pass', true, shown, text('持久模式已启用。', 'Persistence mode is on.'), { threshold });
    },
  },
  {
    id: 'gpu.temperature',
    category: 'gpu',
    title: text('GPU 温度', 'GPU temperature'),
    needs: ['gpu'],
    run(f) {
      const gpus = gpusOf(f);
      if (isOutcome(gpus)) return gpus;
      const limit = (g: NvidiaGpu) => g.slowdownC ?? 90;
      const shown = gpus.map((g) => `gpu${g.index}: ${g.temperatureC ?? 'n/a'} °C (slowdown ${g.slowdownC ?? 'n/a'} °C)`).join('; ');
      const hottest = Math.max(...gpus.map((g) => g.temperatureC ?? 0));
      const threshold = text('低于降频温度 10 °C 以上', 'more than 10 °C below the slowdown temperature');
      const remedy = text('检查机房空调与服务器风扇、进风口是否被遮挡；GPU 服务器需要足够的前后风道。', 'Check the server room cooling and the server fans; make sure the air inlets are not blocked (GPU servers need front-to-back airflow).');
      const hot = gpus.filter((g) => g.temperatureC !== null && g.temperatureC >= limit(g));
      if (hot.length) return outcome('fail', hottest, shown, text('GPU 已达到降频温度：推理会明显变慢。', 'A GPU is at its slowdown temperature: inference is throttled.'), { threshold, remedy });
      const warm = gpus.filter((g) => g.temperatureC !== null && g.temperatureC >= limit(g) - 10);
      if (warm.length) return outcome('warn', hottest, shown, text('GPU 温度接近降频点。', 'A GPU is close to its slowdown temperature.'), { threshold, remedy });
      return outcome('pass', hottest, shown, text('GPU 温度正常。', 'GPU temperatures are normal.'), { threshold });
    },
  },
  {
    id: 'gpu.mig',
    category: 'gpu',
    title: text('MIG 模式', 'MIG mode'),
    needs: ['gpu'],
    run(f) {
      const gpus = gpusOf(f);
      if (isOutcome(gpus)) return gpus;
      const shown = gpus.map((g) => `gpu${g.index}: ${g.migMode ?? 'n/a'}${g.migMode === 'Enabled' ? ` (${g.migDevices} instances)` : ''}`).join('; ');
      const threshold = text('MIG 关闭，或已创建 MIG 实例并为服务指定', 'MIG off, or MIG instances created and assigned to the service');
      const empty = gpus.filter((g) => g.migMode === 'Enabled' && g.migDevices === 0);
      if (empty.length) {
        return outcome('fail', 0, shown, text('MIG 已启用但没有创建任何 GPU 实例：CUDA 程序看不到这块 GPU。', 'MIG is on but no GPU instance exists: CUDA programs cannot see this GPU.'), {
          threshold,
          remedy: text('创建实例（例如 nvidia-smi mig -cgi 9,9 -C），或关闭 MIG：nvidia-smi -i <编号> -mig 0 后重置 GPU。', 'Create instances (e.g. nvidia-smi mig -cgi 9,9 -C), or turn MIG off: nvidia-smi -i <index> -mig 0, then reset the GPU.'),
        });
      }
      const mig = gpus.filter((g) => g.migMode === 'Enabled');
      if (mig.length) {
        return outcome('warn', mig.reduce((n, g) => n + g.migDevices, 0), shown, text('MIG 已启用：服务只会使用分配给它的 MIG 实例，显存以实例大小为准。', 'MIG is on: the service uses only the MIG instance it is given, and its memory is the instance size.'), {
          threshold,
          remedy: text('确认安装设置中为推理服务指定了足够大的 MIG 实例（nvidia-smi -L 列出 MIG UUID）；不需要切分时关闭 MIG。', 'Make sure the install settings give the inference service a large enough MIG instance (nvidia-smi -L lists MIG UUIDs); turn MIG off if the GPU need not be split.'),
        });
      }
      return outcome('pass', false, shown, text('未使用 MIG，服务使用整块 GPU。', 'MIG is off: the service gets whole GPUs.'), { threshold });
    },
  },
  {
    id: 'gpu.container-runtime',
    category: 'gpu',
    title: text('NVIDIA 容器运行时', 'NVIDIA container runtime'),
    needs: ['gpu', 'docker'],
    run(f) {
      const gpus = gpusOf(f);
      if (isOutcome(gpus)) return gpus;
      const d = need(f.docker, text('Docker 引擎', 'the Docker engine'));
      if (isOutcome(d)) return d;
      const runtimes = Object.keys(d.info.Runtimes ?? {});
      const cdi = f.gpu!.cdiSpecs;
      const shown = `runtimes: ${runtimes.join(', ') || 'none'}; CDI specs: ${cdi.join(', ') || 'none'}`;
      const threshold = text('Docker 注册了 nvidia 运行时，或存在 nvidia.com/gpu 的 CDI 描述', 'Docker has the nvidia runtime registered, or CDI specs for nvidia.com/gpu exist');
      if (!gpuRuntimeAvailable(d, f.gpu!)) {
        return outcome('fail', false, shown, text('有 GPU，但 Docker 无法把它交给容器（会报 could not select device driver "nvidia"）。', 'There is a GPU, but Docker cannot hand it to containers (it would fail with: could not select device driver "nvidia").'), {
          threshold,
          remedy: text(
            '离线安装 NVIDIA Container Toolkit（nvidia-container-toolkit 及其依赖的 deb/rpm 包），然后 nvidia-ctk runtime configure --runtime=docker 并 systemctl restart docker。',
            'Install the NVIDIA Container Toolkit offline (the nvidia-container-toolkit deb/rpm packages and their dependencies), then run nvidia-ctk runtime configure --runtime=docker and systemctl restart docker.',
          ),
        });
      }
      return outcome('pass', true, shown, text('Docker 可以为容器分配 GPU。', 'Docker can give containers a GPU.'), { threshold });
    },
  },
  {
    id: 'gpu.smoke',
    category: 'gpu',
    title: text('GPU 容器实测（--gpus）', 'GPU container smoke test (--gpus)'),
    needs: ['smoke'],
    run(f) {
      const s = f.smoke;
      if (!s) return need(undefined, text('GPU 容器实测', 'the GPU smoke test'));
      const threshold = text('服务镜像以 --gpus all 启动并看到 GPU', 'the service image starts with --gpus all and sees the GPU');
      if (s.state === 'passed') return outcome('pass', true, s.output.split('\n')[0] ?? 'ok', text('服务镜像在容器中看到了 GPU。', 'The service image sees the GPU inside a container.'), { threshold, details: { output: s.output } });
      if (s.state === 'failed') {
        return outcome('fail', false, s.reason, text(`GPU 测试容器失败：${s.reason}`, `The GPU test container failed: ${s.reason}`), {
          threshold,
          details: { output: s.output },
          remedy: text('确认 gpu.driver 与 gpu.container-runtime 均通过；运行 docker run --rm --gpus all <服务镜像> nvidia-smi -L 查看完整错误。', 'Make sure gpu.driver and gpu.container-runtime pass; run docker run --rm --gpus all <service image> nvidia-smi -L to see the full error.'),
        });
      }
      if (s.reason === 'no-gpu') return outcome('pass', null, 'n/a (no NVIDIA GPU)', text(`不适用：没有 NVIDIA GPU。${cpuMode['zh-CN']}`, `Not applicable: no NVIDIA GPU. ${cpuMode.en}`), { threshold });
      if (s.reason === 'no-engine') {
        return outcome('error', null, 'not run: Docker engine unreachable', text('无法运行：Docker 引擎不可访问（见 docker.engine）。', 'Cannot run: the Docker engine cannot be reached (see docker.engine).'), {
          threshold,
          remedy: text('先解决 docker.engine。', 'Fix docker.engine first.'),
        });
      }
      if (s.reason === 'no-runtime') {
        return outcome('fail', false, 'not run: no NVIDIA runtime', text('无法运行：Docker 没有 NVIDIA 运行时（见 gpu.container-runtime）。', 'Cannot run: Docker has no NVIDIA runtime (see gpu.container-runtime).'), {
          threshold,
          remedy: text('先解决 gpu.container-runtime。', 'Fix gpu.container-runtime first.'),
        });
      }
      return outcome('warn', null, `not run: service image ${s.output || '(unknown)'} not loaded`, text('服务镜像尚未导入，暂不能实测 GPU 容器。', 'The service image is not loaded yet, so the GPU container cannot be tried.'), {
        threshold,
        remedy: text('导入离线包（medai bundle import <文件>）后重新运行检查。', 'Import the bundle (medai bundle import <file>), then run the check again.'),
      });
    },
  },
];
