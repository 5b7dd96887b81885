import type { StackModel } from '../compose/stack-model';
import { LABEL } from '../engine/compose-labels';
import { engine, projectContainers, statusOf, type EngineAccess } from '../engine/engine-access';

/** Stops the project's service containers that `which` selects, dependants first. */
export async function stopServices(access: EngineAccess, project: string, model: StackModel, which: (service: string) => boolean): Promise<string[]> {
  const order = model.services.map((s) => s.name);
  const containers = (await projectContainers(access, project)).filter((c) => c.State === 'running' && which(c.Labels[LABEL.service] ?? ''));
  containers.sort((a, b) => order.indexOf(b.Labels[LABEL.service] ?? '') - order.indexOf(a.Labels[LABEL.service] ?? ''));
  for (const c of containers) {
    await engine(access, () =>
      access.docker
        .getContainer(c.Id)
        .stop({ t: 8 })
        .catch((e: unknown) => {
          if (statusOf(e) !== 304 && statusOf(e) !== 404) throw e;
        }),
    );
  }
  return containers.map((c) => c.Labels[LABEL.service] ?? c.Id);
}
