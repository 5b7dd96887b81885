import type { OperationEvent } from '../../electron/core/contract';
import type { Core } from '../../electron/core/core';

/** Starts an operation through the contract, as every face does, and waits for its last event. */
export async function runOperation(core: Core, method: string, params: unknown): Promise<{ last: OperationEvent; events: OperationEvent[] }> {
  const started = await core.dispatch(method, params);
  if (!started.ok) return { last: { type: 'failed', operationId: 'op_00000000', seq: 0, at: '', error: started.error }, events: [] };
  const { operationId } = started.result as { operationId: string };
  const events: OperationEvent[] = [];
  const last = await core.operations.waitFor(operationId, (e) => events.push(e));
  return { last, events };
}
