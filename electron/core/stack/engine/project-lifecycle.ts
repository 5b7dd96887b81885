import { LABEL } from './compose-labels';
import { engine, projectContainers, statusOf, type EngineAccess } from './engine-access';

const ignore = (...codes: number[]) => (e: unknown) => {
  if (!codes.includes(statusOf(e) ?? 0)) throw e;
};

/** Stops every container of the project, dependants first (reverse creation order). */
export async function stopProject(access: EngineAccess, project: string, order: string[] = []): Promise<string[]> {
  const containers = await projectContainers(access, project);
  const rank = (svc: string) => order.indexOf(svc);
  containers.sort((a, b) => rank(b.Labels[LABEL.service] ?? '') - rank(a.Labels[LABEL.service] ?? ''));
  const stopped: string[] = [];
  for (const c of containers) {
    if (c.State !== 'running') continue;
    await engine(access, () => access.docker.getContainer(c.Id).stop({ t: 8 }).catch(ignore(304, 404)));
    stopped.push(c.Labels[LABEL.service] ?? c.Id);
  }
  return stopped;
}

/**
 * Removes the project's containers and networks, and its volumes only when asked: the
 * default keeps data, so a reinstall finds it (the `down -v` accident cannot happen here).
 */
export async function downProject(access: EngineAccess, project: string, opts: { deleteVolumes: boolean }): Promise<{ containers: number; networks: number; volumes: number }> {
  const containers = await projectContainers(access, project);
  for (const c of containers) await engine(access, () => access.docker.getContainer(c.Id).remove({ force: true }).catch(ignore(404)));
  const filter = { label: [`${LABEL.project}=${project}`] };
  const networks = await engine(access, () => access.docker.listNetworks({ filters: filter }));
  for (const n of networks) await engine(access, () => access.docker.getNetwork(n.Id).remove().catch(ignore(404)));
  let volumes = 0;
  if (opts.deleteVolumes) {
    const list = (await engine(access, () => access.docker.listVolumes({ filters: filter }))).Volumes ?? [];
    for (const v of list) await engine(access, () => access.docker.getVolume(v.Name).remove().catch(ignore(404)));
    volumes = list.length;
  }
  return { containers: containers.length, networks: networks.length, volumes };
}
