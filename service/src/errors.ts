// Errors are values: a stable code, an HTTP status, a message a clinician's IT team can act on,
// and optional field-level details. Routes never leak stack traces.
export interface FieldIssue {
  field: string;
  message: string;
}

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: { fields?: FieldIssue[]; dependency?: string; retryAfterSeconds?: number; remedy?: string } = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  toJSON(): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.extra.remedy ? { remedy: this.extra.remedy } : {}),
        ...(this.extra.fields ? { fields: this.extra.fields } : {}),
        ...(this.extra.dependency ? { dependency: this.extra.dependency } : {}),
      },
    };
  }
}

export function fail(code: string, status: number, message: string, extra: ServiceError['extra'] = {}): ServiceError {
  return new ServiceError(code, status, message, extra);
}

/** A dependency (postgres, redis, milvus, model, upstream) is unreachable: 503 with Retry-After. */
export function unavailable(dependency: string, cause: unknown): ServiceError {
  return new ServiceError('DEPENDENCY_UNAVAILABLE', 503, `${dependency} is unavailable: ${describe(cause)}`, {
    dependency,
    retryAfterSeconds: 5,
    remedy: `Check ${dependency} (GET /ready shows each dependency); the service recovers by itself once it is back.`,
  });
}

export function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message.split('\n')[0] ?? cause.name;
  return String(cause);
}
