import type { CallHandlers } from '../capability';
import type { CoreDeps } from '../core';
import { runServiceCli } from './container-cli';
import { probeService } from './status-probe';

type ServiceCalls = 'service.status' | 'service.keys.create' | 'service.keys.revoke' | 'service.keys.list' | 'service.migrate';

export function serviceCalls(deps: Pick<CoreDeps, 'docker'>): CallHandlers<ServiceCalls> {
  return {
    'service.status': (req) => probeService(req.url, req.apiKey),
    'service.keys.create': async (req) => (await runServiceCli(deps.docker, req.container, ['keys', 'create', req.name])) as { id: string; name: string; key: string },
    'service.keys.revoke': async (req) => (await runServiceCli(deps.docker, req.container, ['keys', 'revoke', req.id])) as { id: string; revoked: true },
    'service.keys.list': async (req) => {
      const r = (await runServiceCli(deps.docker, req.container, ['keys', 'list'])) as { keys: Array<Record<string, unknown>> };
      return r.keys.map((k) => ({
        id: String(k.id),
        name: String(k.name),
        created_at: String(k.created_at),
        revoked_at: k.revoked_at ? String(k.revoked_at) : null,
        last_used_at: k.last_used_at ? String(k.last_used_at) : null,
      }));
    },
    'service.migrate': async (req) => (await runServiceCli(deps.docker, req.container, ['migrate'])) as { from: number; to: number; applied: number[] },
  };
}
