import { fail, type CoreError } from '../../contract';
import type { ServiceSpec, StackModel } from '../compose/stack-model';
import { LABEL } from './compose-labels';
import { containerCreateOptions } from './container-spec';
import { engine, type EngineAccess } from './engine-access';
import { logText } from './log-frames';
import { preflight } from './preflight';
import { waitForContainer } from './wait-healthy';

/**
 * Runs a service's database migration as a one-off container (like `docker compose run`):
 * the service's image, environment and networks, no published ports, labelled oneoff so
 * Compose does not list it as the service. Fails with the migration's output.
 */
export async function runMigration(access: EngineAccess, project: string, model: StackModel, service: ServiceSpec, stackVersion: string, timeoutMs: number): Promise<string> {
  if (!service.migrate) return '';
  const imageId = (await preflight(access, project, { ...model, volumes: [] }, [{ ...service, ports: [] }])).get(service.name)!;
  // The command is the whole argv: it replaces the image's entrypoint too (a server image's
  // entrypoint would otherwise receive the migration command as arguments).
  const [program, ...args] = service.migrate.command;
  const spec: ServiceSpec = { ...service, ports: [], healthcheck: { test: ['NONE'] }, restart: 'no', entrypoint: [program!], command: args };
  const opts = containerCreateOptions({ project, model, service: spec, imageId, configHash: 'oneoff', stackVersion, gpu: false, name: `${project}-${service.name}-migrate-${Date.now()}` });
  opts.Labels = { ...opts.Labels, [LABEL.oneoff]: 'True' };
  const container = await engine(access, () => access.docker.createContainer(opts));
  try {
    for (const extra of service.networks.slice(1)) {
      await engine(access, () => access.docker.getNetwork(`${project}_${extra}`).connect({ Container: container.id }));
    }
    await engine(access, () => container.start());
    // Polled, not a long-poll wait: the core's engine client times out calls after a few seconds.
    let failure: unknown = null;
    try {
      await waitForContainer(access, container.id, { service: service.name, timeoutMs, until: 'exited0', pollMs: 200 });
    } catch (e) {
      failure = e;
    }
    const logs = logText(await engine(access, () => container.logs({ stdout: true, stderr: true, tail: 200 })));
    if (failure) {
      const exitCode = (failure as CoreError).error?.code === 'STACK_HEALTH_TIMEOUT' ? 'timeout' : ((await container.inspect()).State.ExitCode ?? '?');
      throw fail('STACK_MIGRATION_FAILED', { service: service.name, exitCode }, logs.slice(-4000));
    }
    return logs;
  } finally {
    await access.docker.getContainer(container.id).remove({ force: true }).catch(() => undefined);
  }
}
