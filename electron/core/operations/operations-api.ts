import type { CallHandlers } from '../capability';
import type { OperationHub } from './operation-hub';

export const operationsCalls = (hub: OperationHub): CallHandlers<'operations.list' | 'operations.get'> => ({
  'operations.list': (req) => hub.list(req.limit),
  'operations.get': (req) => hub.get(req.id),
});
