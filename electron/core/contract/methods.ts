import { z } from 'zod';
import { EngineStatus } from './engine';
import {
  BundleBuildRequest,
  BundleBuildResult,
  BundleFileRequest,
  BundleImportRequest,
  BundleImportResult,
  BundleInspection,
  BundleKeygenRequest,
  BundleKeygenResult,
  BundleVerifyResult,
  ImportedBundle,
} from './bundle';
import { HOST_METHODS } from './host';
import { STACK_METHODS } from './stack';
import { SERVICE_METHODS } from './service';
import { BACKUP_METHODS } from './backup';
import { DIAGNOSTICS_METHODS } from './diagnostics';
import { OperationId, OperationSnapshot, OperationSummary } from './operation';
import { Settings, SettingsPatch } from './settings';

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) =>
  ({ kind: 'call', request, response }) as const;

/**
 * A long operation: the call answers at once with its id; progress and the final
 * `result` arrive as OperationEvents that any face can attach to by id.
 */
const operation = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, result: Res) =>
  ({ kind: 'operation', request, response: OperationStarted, result }) as const;

export const OperationStarted = z.object({ operationId: OperationId }).strict();
const NoParams = z.object({}).strict();

/**
 * Every method of the core's API. Electron IPC, the web console and the CLI all
 * dispatch through this table; adding a capability means adding its entries here.
 */
export const METHODS = {
  'engine.status': call(NoParams, EngineStatus),
  'operations.list': call(z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(), z.array(OperationSummary)),
  'operations.get': call(z.object({ id: OperationId }).strict(), OperationSnapshot),
  'settings.get': call(NoParams, Settings),
  'settings.update': call(SettingsPatch, Settings),
  /** A harmless operation that counts to `steps`; it proves the progress path end to end. */
  'diagnostics.selfTest': operation(
    z.object({ steps: z.number().int().min(1).max(20).default(3), stepMs: z.number().int().min(0).max(5000).default(200) }).strict(),
    z.object({ steps: z.number().int() }).strict(),
  ),
  /** Offline bundle: read the signed manifest (quick), list imported bundles, make keys. */
  'bundle.inspect': call(BundleFileRequest, BundleInspection),
  'bundle.list': call(NoParams, z.array(ImportedBundle)),
  'bundle.keygen': call(BundleKeygenRequest, BundleKeygenResult),
  /** Checks signature, then every entry's sha256 and size in one pass; changes nothing. */
  'bundle.verify': operation(BundleFileRequest, BundleVerifyResult),
  /** Verifies while streaming each image into the engine; a failure removes what this import loaded. */
  'bundle.import': operation(BundleImportRequest, BundleImportResult),
  'bundle.build': operation(BundleBuildRequest, BundleBuildResult),
  /** Host preflight (host/): the check as an operation, stored runs as calls. */
  ...HOST_METHODS,
  ...STACK_METHODS,
  ...SERVICE_METHODS,
  ...BACKUP_METHODS,
  ...DIAGNOSTICS_METHODS,
} as const;

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
export type OperationMethodName = { [M in MethodName]: Methods[M]['kind'] extends 'operation' ? M : never }[MethodName];
export type Request<M extends MethodName> = z.input<Methods[M]['request']>;
export type ParsedRequest<M extends MethodName> = z.output<Methods[M]['request']>;
export type Response<M extends MethodName> = z.output<Methods[M]['response']>;
export type OperationResult<M extends OperationMethodName> = z.output<Methods[M] extends { result: infer R extends z.ZodType } ? R : never>;

export const isMethodName = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(METHODS, name);
