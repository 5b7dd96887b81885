import type { CallHandlers } from '../capability';
import type { CoreDeps } from '../core';
import { readEngineStatus } from './engine-status';

export const engineCalls = (deps: CoreDeps): CallHandlers<'engine.status'> => ({
  'engine.status': () => readEngineStatus(deps.docker, deps.dockerEndpoint),
});
