import type { HostNetwork, NetworkFacts } from '../facts';
import type { HostProbes } from '../host-probes';
import { networkOf, routeHexToIp } from '../ipv4-cidr';

/** Interfaces Docker creates itself; their networks are Docker's, not the hospital's. */
export const isDockerInterface = (name: string): boolean => /^(docker\d*|br-[0-9a-f]+|veth|cni|flannel|cali|vxlan|tun|tap)/.test(name) || name === 'lo';

/** Non-default IPv4 routes from /proc/net/route: LANs reachable through a gateway clash as much as local ones. */
export function parseRoutes(text: string | null): HostNetwork[] {
  const out: HostNetwork[] = [];
  for (const line of (text ?? '').split('\n').slice(1)) {
    const [iface, dest, , , , , , mask] = line.trim().split(/\s+/);
    if (!iface || !dest || !mask || isDockerInterface(iface) || dest === '00000000') continue;
    const cidr = networkOf(routeHexToIp(dest), routeHexToIp(mask));
    if (cidr) out.push({ iface, cidr, kind: 'route' });
  }
  return out;
}

export async function collectNetworkFacts(p: HostProbes, ports: readonly number[]): Promise<NetworkFacts> {
  const addresses: HostNetwork[] = [];
  for (const [iface, infos] of Object.entries(p.networkInterfaces())) {
    if (isDockerInterface(iface)) continue;
    for (const i of infos ?? []) {
      if (i.family !== 'IPv4' || i.internal) continue;
      const cidr = networkOf(i.address, i.netmask);
      if (cidr) addresses.push({ iface, cidr, kind: 'address' });
    }
  }
  const routes = parseRoutes(p.readFile('/proc/net/route')).filter((r) => !addresses.some((a) => a.cidr === r.cidr));
  // One at a time: two probes of the same port would see each other.
  const probes = [];
  for (const port of ports) probes.push(await p.probePort(port));
  return { hostNetworks: [...addresses, ...routes], ports: probes };
}
