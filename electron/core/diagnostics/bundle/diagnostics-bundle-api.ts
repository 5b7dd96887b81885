import type { OperationBodies } from '../../capability';
import type { CoreDeps } from '../../core';
import { buildDiagnostics } from './build-diagnostics';

export const diagnosticsBundleOperations = (deps: CoreDeps): OperationBodies<'diagnostics.bundle'> => ({
  'diagnostics.bundle': (req, ctx) => buildDiagnostics(deps, req, ctx),
});
