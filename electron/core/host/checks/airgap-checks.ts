import { text } from '../../contract';
import { isOutcome, need, outcome, type HostCheck } from '../check-kit';

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];
const NO_PROXY_VARS = ['NO_PROXY', 'no_proxy'];

/** The proxy variables of this process's environment (values kept: they name hosts, not secrets, once credentials are cut). */
export function proxyEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...PROXY_VARS, ...NO_PROXY_VARS]) if (env[k]) out[k] = env[k]!.replace(/\/\/[^@/]*@/, '//***@');
  return out;
}

const coversLocal = (noProxy: string): boolean => /(^|,)\s*(localhost|127\.0\.0\.1|\*)\s*(,|$)/.test(noProxy);

export const AIRGAP_CHECKS: HostCheck[] = [
  {
    id: 'airgap.images',
    category: 'airgap',
    title: text('离线包镜像已在本机', "The bundle's images are present"),
    needs: ['docker'],
    run(f) {
      const r = f.requirements;
      const threshold = text('离线包中的全部镜像都已载入 Docker', "every image of the bundle is loaded into Docker");
      if (r.source === 'defaults') {
        return outcome('warn', 0, 'no bundle imported', text('尚未导入离线包，无法确认镜像。安装前不会访问任何镜像仓库。', 'No bundle has been imported yet, so the images cannot be checked. The install never contacts a registry.'), {
          threshold,
          remedy: text('导入厂商提供的离线包：medai bundle import <文件>（或在界面的“离线包”页面）。', 'Import the bundle supplied by the vendor: medai bundle import <file> (or the Bundle page of the console).'),
        });
      }
      const d = need(f.docker, text('Docker 引擎', 'the Docker engine'));
      if (isOutcome(d)) return d;
      const missing = r.images.filter((i) => !d.images[i.ref]).map((i) => i.ref);
      const present = r.images.length - missing.length;
      const shown = `${present} / ${r.images.length} present (bundle ${r.bundleVersion}${r.source === 'bundle-file' ? ', file' : ''})`;
      const details = Object.fromEntries(r.images.map((i) => [i.ref, d.images[i.ref] ?? false]));
      if (missing.length) {
        return outcome('warn', present, shown, text(`缺少 ${missing.length} 个镜像：${missing.join(', ')}。`, `${missing.length} image(s) missing: ${missing.join(', ')}.`), {
          threshold,
          details,
          remedy: text('重新导入离线包：medai bundle import <文件>；不要用 docker image prune -a 清理本系统的镜像。', 'Import the bundle again: medai bundle import <file>; do not remove the stack\'s images with docker image prune -a.'),
        });
      }
      return outcome('pass', present, shown, text('所有镜像都已在本机，安装无需联网。', 'Every image is present: the install needs no network.'), { threshold, details });
    },
  },
  {
    id: 'airgap.proxy',
    category: 'airgap',
    title: text('代理设置', 'Proxy settings'),
    needs: ['proxy'],
    run(f) {
      const p = f.proxy;
      if (!p) return need(undefined, text('代理设置', 'the proxy settings'));
      const env = Object.entries(p.env).filter(([k]) => PROXY_VARS.includes(k));
      const noProxy = Object.entries(p.env).filter(([k]) => NO_PROXY_VARS.includes(k)).map(([, v]) => v).join(',');
      const dockerProxy = p.docker && (p.docker.http || p.docker.https) ? p.docker : null;
      const threshold = text('无代理；或 NO_PROXY 包含 localhost,127.0.0.1', 'no proxy; or NO_PROXY includes localhost,127.0.0.1');
      const shownParts = [...env.map(([k, v]) => `${k}=${v}`), ...(dockerProxy ? [`docker: ${dockerProxy.http || dockerProxy.https}`] : [])];
      if (!shownParts.length) return outcome('pass', null, 'none', text('未设置代理：离线安装不需要代理。', 'No proxy is set: the offline install needs none.'), { threshold });
      const problems: string[] = [];
      if (env.length && !coversLocal(noProxy)) problems.push('NO_PROXY');
      if (dockerProxy && !coversLocal(dockerProxy.noProxy)) problems.push('docker NO_PROXY');
      const shown = shownParts.join('; ');
      if (problems.length) {
        return outcome('warn', shown, shown, text(`设置了代理，但 ${problems.join('、')} 未包含 localhost 和 127.0.0.1：管理程序与服务健康检查的本地请求会被发往代理而失败。`, `A proxy is set but ${problems.join(' and ')} does not include localhost and 127.0.0.1: local requests (health checks, the console) would go to the proxy and fail.`), {
          threshold,
          details: { noProxy, dockerNoProxy: p.docker?.noProxy ?? '' },
          remedy: text('把 localhost,127.0.0.1 加入 NO_PROXY（Docker 的代理在 /etc/systemd/system/docker.service.d/http-proxy.conf 中）；离线环境通常可以直接去掉代理。', 'Add localhost,127.0.0.1 to NO_PROXY (Docker\'s proxy lives in /etc/systemd/system/docker.service.d/http-proxy.conf); in an air-gapped site the proxy can usually be removed.'),
        });
      }
      return outcome('pass', shown, shown, text('设置了代理，本地地址已排除。', 'A proxy is set and local addresses are excluded.'), { threshold });
    },
  },
];
