import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultTrustDir, generateSigningKey, keyIdOf, loadTrustedKeys, readPrivateKey } from '../../../electron/core/bundle/keys';
import { signManifest, verifyManifestSignature } from '../../../electron/core/bundle/signature';
import { CoreError } from '../../../electron/core/contract';
import { makeTempDir } from '../../support/temp-dir';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const tmp = () => {
  const t = makeTempDir('bundle-keys');
  cleanups.push(t.cleanup);
  return t.dir;
};
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof CoreError ? e.error.code : `not a CoreError: ${String(e)}`;
  }
  return 'no error';
};

describe('signing keys', () => {
  it('keygen writes a 0600 private key and a public key whose id is the SPKI sha256', () => {
    const dir = tmp();
    const k = generateSigningKey(dir, 'vendor');
    expect(fs.statSync(k.privateKeyPath).mode & 0o777).toBe(0o600);
    const pub = createPublicKey(fs.readFileSync(k.publicKeyPath));
    expect(k.keyId).toBe(keyIdOf(pub));
    expect(k.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(readPrivateKey(k.privateKeyPath).asymmetricKeyType).toBe('ed25519');
  });

  it('never overwrites an existing key', () => {
    const dir = tmp();
    const k = generateSigningKey(dir, 'vendor');
    const before = fs.readFileSync(k.privateKeyPath, 'utf8');
    expect(codeOf(() => generateSigningKey(dir, 'vendor'))).toBe('BUNDLE_OUTPUT_EXISTS');
    expect(fs.readFileSync(k.privateKeyPath, 'utf8')).toBe(before);
  });

  it('refuses a private key that is not Ed25519 PEM', () => {
    const file = path.join(tmp(), 'x.key');
    fs.writeFileSync(file, 'not a key');
    expect(codeOf(() => readPrivateKey(file))).toBe('BUNDLE_KEY_INVALID');
  });

  it('trusts only *.pub Ed25519 keys in the trust folder; junk is ignored, not trusted', () => {
    const dir = tmp();
    const a = generateSigningKey(dir, 'a');
    fs.writeFileSync(path.join(dir, 'junk.pub'), 'garbage');
    const keys = loadTrustedKeys(dir);
    expect([...keys.keys()]).toEqual([a.keyId]);
    expect(keys.get(a.keyId)?.name).toBe('a');
    expect(loadTrustedKeys(path.join(dir, 'missing')).size).toBe(0);
  });

  it('by default reads the shipped resources/keys, which holds the release key', () => {
    const dir = defaultTrustDir({});
    expect(dir).toBe(path.resolve(__dirname, '../../../resources/keys'));
    const keys = loadTrustedKeys(dir);
    expect(keys.get('55aff3a595e1f8c7e7d220be8f381a5857f9f9d94f8819550b36de8854de2680')?.name).toBe('medai-release-2026');
    expect(defaultTrustDir({ MEDAI_TRUSTED_KEYS_DIR: '/etc/medai/keys' })).toBe('/etc/medai/keys');
    // The packaged layout: <resources>/app.asar/dist/cli next to <resources>/resources/keys.
    const pkg = tmp();
    fs.mkdirSync(path.join(pkg, 'resources', 'keys'), { recursive: true });
    fs.mkdirSync(path.join(pkg, 'app.asar', 'dist', 'cli'), { recursive: true });
    expect(defaultTrustDir({}, path.join(pkg, 'app.asar', 'dist', 'cli'))).toBe(path.join(pkg, 'resources', 'keys'));
  });
});

describe('manifest signature', () => {
  const setup = () => {
    const k = generateSigningKey(tmp(), 'vendor');
    const priv = createPrivateKey(fs.readFileSync(k.privateKeyPath));
    const trusted = loadTrustedKeys(path.dirname(k.publicKeyPath));
    return { k, priv, trusted };
  };
  const manifest = Buffer.from('{"bundleVersion":"1.0.0"}');

  it('verifies the exact bytes it signed and names the signer', () => {
    const { k, priv, trusted } = setup();
    const sig = Buffer.from(JSON.stringify(signManifest(manifest, priv, createPublicKey(priv))));
    expect(verifyManifestSignature(manifest, sig, trusted).keyId).toBe(k.keyId);
  });

  it('refuses one changed byte, an unknown key, and a malformed signature file, each with its own code', () => {
    const { priv, trusted } = setup();
    const sig = Buffer.from(JSON.stringify(signManifest(manifest, priv, createPublicKey(priv))));
    const edited = Buffer.from(manifest.toString().replace('1.0.0', '1.0.1'));
    expect(codeOf(() => verifyManifestSignature(edited, sig, trusted))).toBe('BUNDLE_SIGNATURE_INVALID');
    expect(codeOf(() => verifyManifestSignature(manifest, sig, new Map()))).toBe('BUNDLE_UNKNOWN_SIGNER');
    expect(codeOf(() => verifyManifestSignature(manifest, Buffer.from('{'), trusted))).toBe('BUNDLE_SIGNATURE_INVALID');
    const wrongAlg = Buffer.from(sig.toString().replace('ed25519', 'rsa'));
    expect(codeOf(() => verifyManifestSignature(manifest, wrongAlg, trusted))).toBe('BUNDLE_SIGNATURE_INVALID');
  });
});

describe('import lock', () => {
  it('one import at a time per data dir; a lock left by a dead process is taken over', async () => {
    const { acquireImportLock } = await import('../../../electron/core/bundle/import-lock');
    const dir = tmp();
    const release = acquireImportLock(dir);
    expect(codeOf(() => acquireImportLock(dir))).toBe('BUNDLE_IMPORT_BUSY');
    release();
    acquireImportLock(dir)();
    // pid 2^22+1 is above Linux's pid_max default: no such process.
    fs.writeFileSync(path.join(dir, 'bundles', '.import.lock'), String(4194305));
    const again = acquireImportLock(dir);
    expect(fs.readFileSync(path.join(dir, 'bundles', '.import.lock'), 'utf8')).toBe(String(process.pid));
    again();
  });
});
