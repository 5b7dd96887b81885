import { z } from 'zod';
import { ApiError } from './errors';
import { LocalizedText } from './i18n-text';

export const OperationId = z.string().regex(/^op_[0-9a-z]{8,40}$/, 'an operation id looks like op_…');
export type OperationId = z.infer<typeof OperationId>;

export const OperationState = z.enum(['running', 'succeeded', 'failed', 'interrupted']);
export type OperationState = z.infer<typeof OperationState>;

const eventBase = { operationId: OperationId, seq: z.number().int().nonnegative(), at: z.string() };

/**
 * What a long operation reports while it runs. Every face renders the same events:
 * the CLI as lines, the console and Electron as the progress component.
 */
export const ProgressEvent = z
  .object({
    ...eventBase,
    type: z.literal('progress'),
    step: z.object({ id: z.string(), label: LocalizedText, index: z.number().int(), count: z.number().int() }).optional(),
    percent: z.number().min(0).max(100).optional(),
    bytesDone: z.number().nonnegative().optional(),
    bytesTotal: z.number().nonnegative().optional(),
    log: z.string().optional(),
  })
  .strict();

export const DoneEvent = z.object({ ...eventBase, type: z.literal('done'), result: z.unknown() }).strict();
export const FailedEvent = z.object({ ...eventBase, type: z.literal('failed'), error: ApiError }).strict();

export const OperationEvent = z.discriminatedUnion('type', [ProgressEvent, DoneEvent, FailedEvent]);
export type OperationEvent = z.infer<typeof OperationEvent>;
export type ProgressEvent = z.infer<typeof ProgressEvent>;
/** What an operation body reports; the hub adds id, sequence and time. */
export type ProgressUpdate = Omit<ProgressEvent, 'operationId' | 'seq' | 'at' | 'type'>;

export const OperationSummary = z
  .object({
    id: OperationId,
    kind: z.string(),
    state: OperationState,
    startedAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .strict();
export type OperationSummary = z.infer<typeof OperationSummary>;

/** An operation as a late subscriber sees it: its summary and every event so far. */
export const OperationSnapshot = OperationSummary.extend({ events: z.array(OperationEvent) }).strict();
export type OperationSnapshot = z.infer<typeof OperationSnapshot>;

export const isTerminal = (e: OperationEvent): boolean => e.type === 'done' || e.type === 'failed';
