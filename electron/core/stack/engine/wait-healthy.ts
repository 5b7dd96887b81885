import { setTimeout as sleep } from 'node:timers/promises';
import { fail } from '../../contract';
import { engine, type EngineAccess } from './engine-access';

export interface WaitOptions {
  service: string;
  timeoutMs: number;
  /** 'healthy': the health check passed; 'running': started (for services without one). */
  until: 'healthy' | 'running' | 'exited0';
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Waits for a container to reach the state a dependant needs. Fails early when it exits
 * or its health check reports unhealthy, instead of waiting out the whole timeout.
 */
export async function waitForContainer(access: EngineAccess, id: string, opts: WaitOptions): Promise<void> {
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  const waited = () => Math.max(1, Math.round((Date.now() - started) / 1000));
  const pollMs = opts.pollMs ?? 250;
  for (;;) {
    const info = await engine(access, () => access.docker.getContainer(id).inspect());
    const state = info.State;
    if (opts.until === 'exited0' && !state.Running && state.Status === 'exited') {
      if (state.ExitCode === 0) return;
      throw fail('STACK_CONTAINER_EXITED', { service: opts.service, exitCode: state.ExitCode });
    }
    if (opts.until !== 'exited0') {
      // A restart policy may bring it back (an entrypoint that initialises, then re-execs);
      // a container that keeps restarting is failing, not starting.
      const restarts = (info as { RestartCount?: number }).RestartCount ?? 0;
      if (state.Restarting && restarts < 3 && Date.now() < deadline) {
        await sleep(pollMs);
        continue;
      }
      if (state.Restarting) throw fail('STACK_CONTAINER_EXITED', { service: opts.service, exitCode: state.ExitCode }, `restarted ${restarts} times`);
      if (!state.Running && (state.Status === 'exited' || state.Status === 'dead')) {
        throw fail('STACK_CONTAINER_EXITED', { service: opts.service, exitCode: state.ExitCode }, state.Error || undefined);
      }
      const health = state.Health?.Status;
      if (opts.until === 'running' && state.Running) return;
      if (opts.until === 'healthy' && state.Running && (health === 'healthy' || health === undefined)) return;
      if (opts.until === 'healthy' && health === 'unhealthy') {
        const last = state.Health?.Log?.at(-1);
        throw fail('STACK_HEALTH_TIMEOUT', { service: opts.service, seconds: waited() }, last ? `health check: exit ${last.ExitCode}: ${last.Output.trim().slice(0, 500)}` : 'unhealthy');
      }
    }
    if (Date.now() >= deadline) throw fail('STACK_HEALTH_TIMEOUT', { service: opts.service, seconds: Math.round(opts.timeoutMs / 1000) }, `last state: ${state.Status}${state.Health ? `/${state.Health.Status}` : ''}`);
    if (opts.signal?.aborted) throw fail('STACK_HEALTH_TIMEOUT', { service: opts.service, seconds: 0 }, 'cancelled');
    await sleep(pollMs);
  }
}
