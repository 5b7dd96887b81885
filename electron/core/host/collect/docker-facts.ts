import type Docker from 'dockerode';
import { toApiError } from '../../contract';
import type { DockerEndpoint } from '../../engine/docker-endpoint';
import { engineError } from '../../engine/engine-errors';
import type { DaemonConfigFacts, DockerFacts, DockerInfo, Fact } from '../facts';
import type { HostProbes } from '../host-probes';

/** Reads the engine once: info, version, networks, published ports, and which required images it has. */
export async function collectDockerFacts(docker: Docker, endpoint: DockerEndpoint, imageRefs: readonly string[]): Promise<Fact<DockerFacts>> {
  try {
    const [version, info, networks, containers] = await Promise.all([
      docker.version(),
      docker.info() as Promise<DockerInfo>,
      docker.listNetworks(),
      docker.listContainers(),
    ]);
    const present = await Promise.all(
      imageRefs.map((ref) =>
        docker
          .getImage(ref)
          .inspect()
          .then(() => true)
          .catch((e: { statusCode?: number }) => {
            if (e.statusCode === 404) return false;
            throw e;
          }),
      ),
    );
    return {
      ok: true,
      value: {
        socketPath: endpoint.socketPath,
        serverVersion: version.Version,
        apiVersion: version.ApiVersion,
        info,
        networks: networks.map((n) => ({ name: n.Name, subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => !!s) })),
        publishedPorts: containers.flatMap((c) =>
          (c.Ports ?? [])
            .filter((p) => p.PublicPort)
            .map((p) => ({
              container: (c.Names[0] ?? c.Id).replace(/^\//, ''),
              project: c.Labels?.['com.docker.compose.project'] ?? null,
              managed: c.Labels?.['ai.medai.managed-by'] === 'medai',
              port: p.PublicPort,
            })),
        ),
        images: Object.fromEntries(imageRefs.map((ref, i) => [ref, present[i]!])),
      },
    };
  } catch (err) {
    return { ok: false, error: toApiError(engineError(err, endpoint)) };
  }
}

/**
 * daemon.json, plus the flags of the running dockerd: log options and address pools
 * can be set in either place, and a check that read only one would be wrong.
 */
export function collectDaemonConfig(p: HostProbes): DaemonConfigFacts {
  const text = p.readFile(p.daemonJsonPath);
  let json: Record<string, unknown> | null = null;
  let parseError: string | null = null;
  if (text !== null && text.trim()) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
      else parseError = 'not a JSON object';
    } catch (e) {
      parseError = (e as Error).message;
    }
  } else if (text !== null) json = {};
  return { path: p.daemonJsonPath, exists: text !== null, json, parseError, dockerdArgs: dockerdArgs(p) };
}

function dockerdArgs(p: HostProbes): string[] | null {
  for (const pid of p.listDir(p.procDir) ?? []) {
    if (!/^\d+$/.test(pid)) continue;
    if ((p.readFile(`${p.procDir}/${pid}/comm`) ?? '').trim() !== 'dockerd') continue;
    const cmdline = p.readFile(`${p.procDir}/${pid}/cmdline`);
    if (cmdline !== null) return cmdline.split('\0').filter(Boolean).slice(1);
  }
  return null;
}
