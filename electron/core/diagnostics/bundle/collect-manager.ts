import os from 'node:os';
import { version } from '../../../../package.json';
import type { BundlePart } from './bundle-part';

/** Manager version and the OS facts support asks first (no user names, no environment). */
export function collectManager(dataDir: string, now: Date): BundlePart[] {
  return [
    {
      path: 'manager.json',
      json: {
        managerVersion: version,
        collectedAt: now.toISOString(),
        node: process.version,
        platform: os.platform(),
        release: os.release(),
        osVersion: os.version(),
        arch: os.arch(),
        hostname: os.hostname(),
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? null,
        totalMemoryBytes: os.totalmem(),
        freeMemoryBytes: os.freemem(),
        uptimeS: Math.round(os.uptime()),
        loadAverage: os.loadavg(),
        dataDir,
      },
    },
  ];
}
