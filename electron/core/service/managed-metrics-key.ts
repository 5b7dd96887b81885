import { CoreError, type ManagedMetricsKey } from '../contract';
import type { CoreDeps } from '../core';
import { runServiceCli } from './container-cli';
import { deleteMetricsKey, MANAGER_METRICS_KEY_NAME, publicView, readMetricsKey, writeMetricsKey } from './metrics-key-store';

type Deps = Pick<CoreDeps, 'docker' | 'dataDir' | 'clock'>;

/** The service's CLI says KEY_NOT_FOUND when a key is unknown or already revoked. */
const alreadyGone = (e: unknown) => e instanceof CoreError && e.error.code === 'SERVICE_CLI_FAILED' && e.error.message.en.includes('KEY_NOT_FOUND');

async function revoke(deps: Deps, container: string, id: string): Promise<boolean> {
  try {
    await runServiceCli(deps.docker, container, ['keys', 'revoke', id]);
    return true;
  } catch (e) {
    if (alreadyGone(e)) return false;
    throw e;
  }
}

/**
 * Creates the manager's key through the service container's own CLI (as service.keys.create)
 * and stores it; an older key of the manager is revoked once the new one is safely written,
 * so enabling again repairs a key someone revoked.
 */
export async function enableMetricsKey(deps: Deps, container: string): Promise<ManagedMetricsKey> {
  const previous = readMetricsKey(deps.dataDir, container);
  const created = (await runServiceCli(deps.docker, container, ['keys', 'create', MANAGER_METRICS_KEY_NAME])) as { id: string; name: string; key: string };
  const stored = { container, id: created.id, name: created.name, createdAt: deps.clock.now().toISOString(), key: created.key };
  writeMetricsKey(deps.dataDir, stored);
  if (previous && previous.id !== created.id) await revoke(deps, container, previous.id);
  return publicView(stored);
}

/**
 * Revokes the manager's key in the service, then deletes the file. When the container is
 * not there the revoke fails and the file stays, so the key can still be revoked later.
 */
export async function disableMetricsKey(deps: Deps, container: string): Promise<{ container: string; id: string | null; revoked: boolean }> {
  const stored = readMetricsKey(deps.dataDir, container);
  if (!stored) {
    deleteMetricsKey(deps.dataDir, container); // an unreadable leftover goes too
    return { container, id: null, revoked: false };
  }
  const revoked = await revoke(deps, container, stored.id);
  deleteMetricsKey(deps.dataDir, container);
  return { container, id: stored.id, revoked };
}
