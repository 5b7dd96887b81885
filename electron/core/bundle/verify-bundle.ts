import { fail, type BundleVerifyResult } from '../contract';
import type { OperationContext } from '../operations/operation-hub';
import { openBundle } from './bundle-reader';
import { pumpEntry } from './entry-pump';
import type { TrustedKey } from './keys';
import { BundleProgress } from './progress';
import { STEP } from './steps';

/** Signature first, then every entry's size and sha256 in one read of the file. Changes nothing. */
export async function verifyBundle(path: string, trusted: Map<string, TrustedKey>, ctx: OperationContext): Promise<BundleVerifyResult> {
  const bundle = await openBundle(path, trusted);
  const { manifest } = bundle;
  const entries = [...manifest.images.map((i) => ({ spec: i, label: STEP.verifyImage(i.ref) })), ...manifest.models.map((m) => ({ spec: m, label: STEP.model(m.name) }))];
  const count = entries.length + 1;
  const progress = new BundleProgress(ctx, bundle.fileSize);
  try {
    progress.enter('signature', STEP.signature, 0, count, `signer ${bundle.signer.name} (${bundle.signer.keyId.slice(0, 16)})`);
    progress.add(bundle.fileSize - manifest.images.reduce((a, i) => a + i.size, 0) - manifest.models.reduce((a, m) => a + m.size, 0));
    for (const [index, { spec, label }] of entries.entries()) {
      progress.enter(spec.file, label, index + 1, count);
      const entry = await bundle.next();
      if (!entry) throw fail('BUNDLE_ENTRY_CORRUPT', { entry: spec.file }, 'the archive ends before this entry');
      await pumpEntry(entry, spec, undefined, (n) => progress.add(n));
    }
    const extra = await bundle.next();
    if (extra) throw fail('BUNDLE_NOT_A_BUNDLE', { path }, `unexpected entry ${extra.header.name} after the last one the manifest names`);
    progress.emit();
    return {
      bundleVersion: manifest.bundleVersion,
      signer: { keyId: bundle.signer.keyId, name: bundle.signer.name },
      entriesVerified: entries.length,
      bytesVerified: bundle.fileSize,
    };
  } finally {
    bundle.close();
  }
}
