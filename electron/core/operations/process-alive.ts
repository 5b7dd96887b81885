/**
 * Whether a process of this machine still exists. Journals and locks record the pid of
 * their owner, so a holder killed by SIGKILL or a power cut is told apart from a live one.
 * EPERM means it exists but belongs to another user.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
