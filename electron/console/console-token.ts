import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface ConsoleToken {
  value: string;
  file: string;
  /** True when this start created it: the only time it is printed. */
  created: boolean;
}

/** Reads the console login token, generating it (0600) on first start. */
export function loadOrCreateConsoleToken(dataDir: string): ConsoleToken {
  const file = path.join(dataDir, 'console-token');
  try {
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value.length >= 32) {
      fs.chmodSync(file, 0o600);
      return { value, file, created: false };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const value = randomBytes(24).toString('base64url');
  // O_EXCL: two consoles starting at once must not hand out two different tokens.
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return { value, file, created: true };
}

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
