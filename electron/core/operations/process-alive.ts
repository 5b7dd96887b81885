import fs from 'node:fs';

/**
 * Whether a process of this machine still exists. Journals and locks record the pid of
 * their owner, so a holder killed by SIGKILL or a power cut is told apart from a live one.
 * EPERM means it exists but belongs to another user. A zombie is dead: it only waits to be
 * reaped, and where PID 1 does not reap (a container without an init) it waits for ever.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false; // no /proc (macOS, Windows): signal 0 is all there is
  }
}
