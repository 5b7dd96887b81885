import type { CallHandlers } from '../capability';
import { apiError } from '../contract';
import type { CoreDeps } from '../core';
import { runServiceCli } from './container-cli';
import { disableMetricsKey, enableMetricsKey } from './managed-metrics-key';
import { publicView, readMetricsKey } from './metrics-key-store';
import { probeService } from './status-probe';

type ServiceCalls =
  | 'service.status'
  | 'service.keys.create'
  | 'service.keys.revoke'
  | 'service.keys.list'
  | 'service.migrate'
  | 'service.metricsKey.enable'
  | 'service.metricsKey.disable';

export function serviceCalls(deps: Pick<CoreDeps, 'docker' | 'dataDir' | 'clock'>): CallHandlers<ServiceCalls> {
  return {
    'service.status': async (req) => {
      // A key the caller gives wins; otherwise the manager's own key for the named container.
      if (req.apiKey || !req.container) return probeService(req.url, req.apiKey);
      const stored = readMetricsKey(deps.dataDir, req.container);
      const status = await probeService(req.url, stored?.key, apiError('SERVICE_MANAGED_KEY_REFUSED', { container: req.container }));
      return { ...status, managedMetricsKey: stored ? publicView(stored) : null };
    },
    'service.metricsKey.enable': (req) => enableMetricsKey(deps, req.container),
    'service.metricsKey.disable': (req) => disableMetricsKey(deps, req.container),
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
