import { sign, verify, type KeyObject } from 'node:crypto';
import { BundleSignature, fail } from '../contract';
import { keyIdOf, type TrustedKey } from './keys';

/** Ed25519 over the exact manifest bytes (algorithm null: Ed25519 hashes internally). */
export function signManifest(manifestBytes: Buffer, privateKey: KeyObject, publicKey: KeyObject): BundleSignature {
  return { algorithm: 'ed25519', keyId: keyIdOf(publicKey), signature: sign(null, manifestBytes, privateKey).toString('base64') };
}

/**
 * Checks manifest.sig against the trusted keys. An unknown key and a bad signature are
 * different refusals: one means "not from the vendor", the other "changed after signing".
 */
export function verifyManifestSignature(manifestBytes: Buffer, sigBytes: Buffer, trusted: Map<string, TrustedKey>): TrustedKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(sigBytes.toString('utf8'));
  } catch (e) {
    throw fail('BUNDLE_SIGNATURE_INVALID', {}, `manifest.sig is not JSON: ${(e as Error).message}`);
  }
  const sig = BundleSignature.safeParse(parsed);
  if (!sig.success) throw fail('BUNDLE_SIGNATURE_INVALID', {}, `manifest.sig: ${sig.error.issues.map((i) => i.message).join('; ')}`);
  const key = trusted.get(sig.data.keyId);
  if (!key) throw fail('BUNDLE_UNKNOWN_SIGNER', { keyId: sig.data.keyId.slice(0, 16) }, `key ${sig.data.keyId}; trusted: ${[...trusted.keys()].join(', ') || 'none'}`);
  if (!verify(null, manifestBytes, key.key, Buffer.from(sig.data.signature, 'base64'))) {
    throw fail('BUNDLE_SIGNATURE_INVALID', {}, `signature by ${key.name} (${key.keyId.slice(0, 16)}) does not match manifest.json`);
  }
  return key;
}
