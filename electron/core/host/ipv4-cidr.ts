/** IPv4 CIDR arithmetic for the address-pool clash check (IPv6 pools are rare on hospital LANs). */
export interface Cidr {
  base: number;
  prefix: number;
  text: string;
}

export function parseCidr(text: string): Cidr | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return null;
  const addr = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  return { base: (addr & mask(prefix)) >>> 0, prefix, text: text.trim() };
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0);

export const cidrOverlaps = (a: Cidr, b: Cidr): boolean => {
  const p = Math.min(a.prefix, b.prefix);
  return ((a.base & mask(p)) >>> 0) === ((b.base & mask(p)) >>> 0);
};

/** An interface address such as 192.168.10.7 with netmask 255.255.255.0 → 192.168.10.0/24. */
export function networkOf(address: string, netmask: string): string | null {
  const bits = netmask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
  const c = parseCidr(`${address}/${bits}`);
  return c ? `${[24, 16, 8, 0].map((s) => (c.base >>> s) & 255).join('.')}/${bits}` : null;
}

/** /proc/net/route stores addresses little-endian in hex: 0002A8C0 → 192.168.2.0. */
export function routeHexToIp(hex: string): string {
  const n = Number.parseInt(hex, 16) >>> 0;
  return [0, 8, 16, 24].map((s) => (n >>> s) & 255).join('.');
}

/** Docker 20.10's built-in default-address-pools when daemon.json sets none. */
export const DOCKER_DEFAULT_POOLS = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/16', size: 16 },
  { base: '172.19.0.0/16', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/14', size: 16 },
  { base: '172.28.0.0/14', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];
