import os from 'node:os';
import path from 'node:path';

/**
 * Where the manager keeps its state when no --data-dir is given. Root on Linux uses the
 * system location so the desktop app, the CLI and the headless agent share one state.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, uid = process.getuid?.() ?? -1): string {
  if (env.MEDAI_DATA_DIR) return env.MEDAI_DATA_DIR;
  if (platform === 'win32') return path.join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'medai');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'medai');
  if (uid === 0) return '/var/lib/medai';
  return path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'medai');
}
