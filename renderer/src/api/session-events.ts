/**
 * The web console keeps sessions in memory, so a restarted console forgets them; the
 * client announces a refused call here and the session gate shows the login page again.
 */
export const sessionEvents = new EventTarget();
export const SESSION_EXPIRED = 'expired';
