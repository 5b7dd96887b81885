import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import tar from 'tar-stream';
import { BundleManifest, CoreError, fail } from '../contract';
import type { TrustedKey } from './keys';
import { verifyManifestSignature } from './signature';
import { expectedTarSize, MANIFEST_ENTRY, SIGNATURE_ENTRY } from './tar-layout';

/** One entry after the manifest and signature: a Readable of its bytes plus its tar header. */
export type BundleEntry = Readable & { header: tar.Header };

/** A bundle whose signature, schema and size have been checked; its other entries not yet. */
export interface OpenedBundle {
  path: string;
  fileSize: number;
  manifestBytes: Buffer;
  manifestSha256: string;
  manifest: BundleManifest;
  signer: TrustedKey;
  /** The entries after the signature, in file order; each must be consumed before the next. */
  next(): Promise<BundleEntry | undefined>;
  /** Bytes of the file read so far (for progress). */
  bytesRead(): number;
  close(): void;
}

const MAX_HEAD_ENTRY = 16 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

/** What tar-stream reports maps onto a person's words: cut short, or not a bundle at all. */
export function entryStreamError(e: unknown, path: string, fileSize: number, expected?: number): CoreError {
  if (e instanceof CoreError) return e;
  const message = (e as Error).message ?? String(e);
  if (/unexpected end/i.test(message)) return fail('BUNDLE_TRUNCATED', { expected: expected ?? '?', actual: fileSize }, message);
  return fail('BUNDLE_NOT_A_BUNDLE', { path }, message);
}

/**
 * A file cut exactly between two entries reads as a clean, shorter archive; only the
 * missing end-of-archive blocks (1024 zero bytes) tell it apart from a complete one.
 */
function endsLikeAnArchive(path: string, fileSize: number): boolean {
  if (fileSize < 1024) return false;
  const fd = fs.openSync(path, 'r');
  try {
    const tail = Buffer.alloc(1024);
    fs.readSync(fd, tail, 0, 1024, fileSize - 1024);
    return tail.every((b) => b === 0);
  } finally {
    fs.closeSync(fd);
  }
}

async function readSmallEntry(entry: BundleEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_HEAD_ENTRY) throw fail('BUNDLE_MANIFEST_INVALID', {}, `${entry.header.name} is larger than ${MAX_HEAD_ENTRY} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Opens a bundle in one sequential read: manifest.json and manifest.sig come first, so
 * the signature, the schema and the file's expected size are checked before the caller
 * touches a single image entry. The rest of the file is then read by the same stream.
 */
export async function openBundle(path: string, trusted: Map<string, TrustedKey>): Promise<OpenedBundle> {
  let fileSize: number;
  try {
    const st = fs.statSync(path);
    if (!st.isFile()) throw fail('BUNDLE_NOT_FOUND', { path }, 'not a regular file');
    fileSize = st.size;
    fs.accessSync(path, fs.constants.R_OK);
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw fail('BUNDLE_NOT_FOUND', { path }, (e as Error).message);
  }

  let bytesRead = 0;
  const source = fs.createReadStream(path, { highWaterMark: READ_CHUNK });
  source.on('data', (c) => (bytesRead += c.length));
  const extract = tar.extract();
  pipeline(source, extract as unknown as NodeJS.WritableStream, () => undefined);
  const iterator = (extract as unknown as AsyncIterable<BundleEntry>)[Symbol.asyncIterator]();
  const close = () => {
    source.destroy();
    extract.destroy();
  };
  let expected: number | undefined;
  const next = async (): Promise<BundleEntry | undefined> => {
    try {
      const r = await iterator.next();
      return r.done ? undefined : r.value;
    } catch (e) {
      throw entryStreamError(e, path, fileSize, expected);
    }
  };

  try {
    const first = await next();
    if (!first && !endsLikeAnArchive(path, fileSize)) throw fail(fileSize === 0 ? 'BUNDLE_NOT_A_BUNDLE' : 'BUNDLE_TRUNCATED', { path, expected: `>${fileSize}`, actual: fileSize }, 'the file ends before manifest.json');
    if (!first || first.header.name !== MANIFEST_ENTRY) throw fail('BUNDLE_NOT_A_BUNDLE', { path }, `first entry is ${first?.header.name ?? 'missing'}, expected ${MANIFEST_ENTRY}`);
    const manifestBytes = await readSmallEntry(first);
    const second = await next();
    if (!second && !endsLikeAnArchive(path, fileSize)) throw fail('BUNDLE_TRUNCATED', { expected: `>${fileSize}`, actual: fileSize }, 'the file ends before manifest.sig');
    if (!second || second.header.name !== SIGNATURE_ENTRY) throw fail('BUNDLE_NOT_A_BUNDLE', { path }, `second entry is ${second?.header.name ?? 'missing'}, expected ${SIGNATURE_ENTRY}`);
    const sigBytes = await readSmallEntry(second);

    // Signature first: nothing in an unsigned or altered manifest is believed, not even its schema.
    const signer = verifyManifestSignature(manifestBytes, sigBytes, trusted);
    let raw: unknown;
    try {
      raw = JSON.parse(manifestBytes.toString('utf8'));
    } catch (e) {
      throw fail('BUNDLE_MANIFEST_INVALID', {}, `manifest.json is not JSON: ${(e as Error).message}`);
    }
    const parsed = BundleManifest.safeParse(raw);
    if (!parsed.success) {
      throw fail('BUNDLE_MANIFEST_INVALID', {}, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    }
    const manifest = parsed.data;
    expected = expectedTarSize([manifestBytes.length, sigBytes.length, ...manifest.images.map((i) => i.size), ...manifest.models.map((m) => m.size)]);
    if (fileSize < expected) throw fail('BUNDLE_TRUNCATED', { expected, actual: fileSize });
    if (fileSize > expected) throw fail('BUNDLE_NOT_A_BUNDLE', { path }, `file is ${fileSize} bytes, the manifest accounts for ${expected}: extra data`);
    return {
      path,
      fileSize,
      manifestBytes,
      manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
      manifest,
      signer,
      next,
      bytesRead: () => bytesRead,
      close,
    };
  } catch (e) {
    close();
    throw entryStreamError(e, path, fileSize, expected);
  }
}
