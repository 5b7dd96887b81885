import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../contract';

/** A public key the manager trusts to sign bundles, named after its file. */
export interface TrustedKey {
  keyId: string;
  name: string;
  key: KeyObject;
}

/** The key id is the sha256 of the SPKI DER: stable across PEM formatting, and what manifest.sig names. */
export const keyIdOf = (publicKey: KeyObject): string => createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');

/** Writes `<name>.key` (PKCS#8 PEM, 0600) and `<name>.pub` (SPKI PEM); refuses to overwrite either. */
export function generateSigningKey(dir: string, name: string): { privateKeyPath: string; publicKeyPath: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyPath = path.join(dir, `${name}.key`);
  const publicKeyPath = path.join(dir, `${name}.pub`);
  for (const p of [privateKeyPath, publicKeyPath]) if (fs.existsSync(p)) throw fail('BUNDLE_OUTPUT_EXISTS', { path: p });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // 'wx' + mode: the private key is never readable by others, not even for an instant.
  fs.writeFileSync(privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  fs.writeFileSync(publicKeyPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
  return { privateKeyPath, publicKeyPath, keyId: keyIdOf(publicKey) };
}

export function readPrivateKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(fs.readFileSync(file));
  } catch (e) {
    throw fail('BUNDLE_KEY_INVALID', { path: file }, (e as Error).message);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw fail('BUNDLE_KEY_INVALID', { path: file }, `key type ${key.asymmetricKeyType ?? 'unknown'}, expected ed25519`);
  return key;
}

/** Every `*.pub` in the trust folder. A malformed file is skipped loudly in the detail of a later refusal, never trusted. */
export function loadTrustedKeys(dir: string): Map<string, TrustedKey> {
  const keys = new Map<string, TrustedKey>();
  if (!fs.existsSync(dir)) return keys;
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.pub')) continue;
    try {
      const key = createPublicKey(fs.readFileSync(path.join(dir, file)));
      if (key.asymmetricKeyType !== 'ed25519') continue;
      const keyId = keyIdOf(key);
      keys.set(keyId, { keyId, name: file.slice(0, -'.pub'.length), key });
    } catch {
      // Not a public key: ignored, so a stray file cannot widen trust.
    }
  }
  return keys;
}

/**
 * The shipped trust folder, `resources/keys`, found from where this code runs: the
 * source tree (electron/core/bundle), the esbuild output (dist/cli, dist/electron) or a
 * packaged app's resources. MEDAI_TRUSTED_KEYS_DIR overrides it for an admin (and tests).
 */
// __dirname exists in the CJS builds and under vitest; an ESM runner (tsx) falls back to the working directory.
export function defaultTrustDir(env: NodeJS.ProcessEnv = process.env, from: string = typeof __dirname === 'string' ? __dirname : process.cwd()): string {
  if (env.MEDAI_TRUSTED_KEYS_DIR) return env.MEDAI_TRUSTED_KEYS_DIR;
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  // electron-builder.yml copies resources/ to <resourcesPath>/resources in the packaged app.
  const candidates = [...(resourcesPath ? [path.join(resourcesPath, 'resources', 'keys')] : [])];
  for (let dir = from, i = 0; i < 5; i++, dir = path.dirname(dir)) candidates.push(path.join(dir, 'resources', 'keys'));
  return candidates.find((c) => fs.existsSync(c)) ?? path.resolve(from, '..', '..', '..', 'resources', 'keys');
}
