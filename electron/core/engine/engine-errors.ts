import { CoreError, fail } from '../contract';
import type { DockerEndpoint } from './docker-endpoint';

/**
 * Translates what the socket or the engine said into the error a person can act on.
 * The socket path is always named: "permission denied" alone sends people searching.
 */
export function engineError(err: unknown, endpoint: DockerEndpoint): CoreError {
  const e = err as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
  const socket = endpoint.socketPath;
  switch (e.code) {
    case 'ENOENT':
      return fail('ENGINE_SOCKET_MISSING', { socket }, e.message);
    case 'ECONNREFUSED':
      return fail('ENGINE_NOT_RUNNING', { socket }, e.message);
    case 'EACCES':
    case 'EPERM':
      return fail('ENGINE_PERMISSION_DENIED', { socket }, e.message);
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return fail('ENGINE_TIMEOUT', { socket, seconds: endpoint.timeoutSeconds }, e.message);
  }
  if (e.message === 'timeout' || /timed? ?out/i.test(e.message ?? '')) {
    return fail('ENGINE_TIMEOUT', { socket, seconds: endpoint.timeoutSeconds }, e.message);
  }
  return fail('ENGINE_ERROR', {}, e.json?.message ?? e.message ?? String(err));
}
