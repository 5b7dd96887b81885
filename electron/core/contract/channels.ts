/**
 * The only transport names in the product. Kept free of imports so the sandboxed
 * Electron preload can bundle it without pulling in zod.
 */
export const IPC = {
  /** renderer → main: one API call, answered with a CallEnvelope. */
  call: 'medai:call',
  /** renderer → main: attach to an operation; events then arrive on `event`. */
  attach: 'medai:attach',
  detach: 'medai:detach',
  /** renderer → main: the desktop's native file dialog for a bundle; answers a path or null. */
  pickBundleFile: 'medai:pick-bundle-file',
  /** main → renderer: an OperationEvent. */
  event: 'medai:event',
} as const;

export const HTTP = {
  login: '/api/login',
  logout: '/api/logout',
  session: '/api/session',
  callPrefix: '/api/call/',
  events: '/api/events',
  docs: '/docs/',
} as const;
