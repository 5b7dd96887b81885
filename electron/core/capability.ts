import type { MethodName, OperationMethodName, OperationResult, ParsedRequest, Response } from './contract';
import type { OperationContext } from './operations/operation-hub';

/**
 * How a capability folder (engine/, host/, bundle/, ...) plugs into the core: it exports
 * call handlers and operation bodies for its own methods of the contract, and core.ts
 * spreads them into one table. The types make a missing or misnamed handler a compile error.
 */
export type CallMethodName = Exclude<MethodName, OperationMethodName>;
export type CallHandlers<K extends CallMethodName> = { [M in K]: (req: ParsedRequest<M>) => Promise<Response<M>> | Response<M> };
export type OperationBodies<K extends OperationMethodName> = {
  [M in K]: (req: ParsedRequest<M>, ctx: OperationContext) => Promise<OperationResult<M>>;
};
