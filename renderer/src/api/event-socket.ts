import { SocketServerMessage, type ApiError, type OperationEvent, type SocketClientMessage } from '../contract';

/** The part of a WebSocket this module uses; the browser's WebSocket and the `ws` package both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

const OPEN = 1;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

type Listener = (event: OperationEvent) => void;

/**
 * One WebSocket to the console's event stream, shared by every attached operation.
 * If the socket drops (console restarted, laptop slept, proxy timeout) it reconnects with
 * backoff and attaches again; the server replays each operation from its first event, and
 * every listener drops the sequence numbers it has already seen, so nothing shows twice.
 */
export class EventSocket {
  private ws: SocketLike | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly openSocket: () => SocketLike,
    private readonly onServerError: (error: ApiError) => void = () => undefined,
  ) {}

  attach(operationId: string, onEvent: Listener): () => void {
    let lastSeq = -1;
    const listener: Listener = (event) => {
      if (event.seq <= lastSeq) return;
      lastSeq = event.seq;
      onEvent(event);
    };
    let set = this.listeners.get(operationId);
    const already = set !== undefined;
    if (!set) {
      set = new Set();
      this.listeners.set(operationId, set);
    }
    set.add(listener);
    // The server answers a repeated attach with nothing, so a second listener would miss
    // the history; detaching first makes it replay, and the others skip what they saw.
    if (already) this.send({ type: 'detach', operationId });
    this.send({ type: 'attach', operationId });

    return () => {
      const current = this.listeners.get(operationId);
      if (!current?.delete(listener)) return;
      if (current.size === 0) {
        this.listeners.delete(operationId);
        this.send({ type: 'detach', operationId }, false);
      }
    };
  }

  /** Closes the socket for good (page unload, sign-out). */
  close(): void {
    this.listeners.clear();
    clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  }

  private send(message: SocketClientMessage, connectIfNeeded = true): void {
    if (this.ws?.readyState === OPEN) this.ws.send(JSON.stringify(message));
    // Not open yet: `onopen` attaches everything that is listened to at that moment.
    else if (connectIfNeeded) this.connect();
  }

  private connect(): void {
    if (this.ws || this.retryTimer !== undefined) return;
    const ws = this.openSocket();
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = FIRST_RETRY_MS;
      for (const operationId of this.listeners.keys()) ws.send(JSON.stringify({ type: 'attach', operationId } satisfies SocketClientMessage));
    };
    ws.onmessage = (m) => this.receive(m.data);
    ws.onerror = () => undefined; // a close always follows; reconnecting is handled there
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.listeners.size === 0) return;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.connect();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    };
  }

  private receive(data: unknown): void {
    let parsed: ReturnType<typeof SocketServerMessage.safeParse>;
    try {
      parsed = SocketServerMessage.safeParse(JSON.parse(String(data)));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'error') this.onServerError(message.error);
    else this.listeners.get(message.event.operationId)?.forEach((l) => l(message.event));
  }
}
