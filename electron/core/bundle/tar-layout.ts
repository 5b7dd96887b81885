/**
 * The bundle is a plain ustar archive with entries in a fixed order. Because entry names
 * are short (no pax headers), the exact file size follows from the entry sizes: that is
 * how a truncated copy is refused before a single image is touched.
 */
export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'manifest.sig';
export const BUNDLE_EXTENSION = '.medai-bundle';

const BLOCK = 512;
const padded = (size: number) => Math.ceil(size / BLOCK) * BLOCK;

/** Header block + data padded to a block, for each entry, then the two zero blocks that end the archive. */
export const expectedTarSize = (entrySizes: readonly number[]): number => entrySizes.reduce((sum, s) => sum + BLOCK + padded(s), 0) + 2 * BLOCK;
