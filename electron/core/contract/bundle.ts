import { z } from 'zod';
import { LocalizedText } from './i18n-text';

/**
 * The offline bundle: one tar file carrying manifest.json, manifest.sig, the image
 * tarballs and the model files, in that order. The manifest is the only thing signed;
 * every other entry is bound to it by its sha256 and size.
 */

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
export const SemVer = z.string().regex(SEMVER, 'a semantic version such as 1.4.2');
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 as 64 lower-case hex digits');
export const ImageId = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'an image ID such as sha256:…');
/** Tags are pinned: a moving tag like `latest` would make the manifest's ID a lie. */
const ImageRef = z
  .string()
  .regex(/^[a-z0-9]+(?:[._/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image reference with an explicit tag (repo:tag)')
  .refine((r) => !r.endsWith(':latest'), 'the tag `latest` is not allowed: pin a version');
/** Entry names stay short and plain so the tar layout (and so the expected file size) is exact. */
const SEGMENT = '[A-Za-z0-9][A-Za-z0-9._-]{0,40}';
/** A model lives at most one folder deep (models/<model>/<file>), as the service's models volume expects. */
export const ModelName = z.string().regex(new RegExp(`^${SEGMENT}(?:/${SEGMENT})?$`), 'a file name, or folder/file');
const entryName = (dir: string, nested = false) =>
  z.string().regex(new RegExp(`^${dir}/${SEGMENT}${nested ? `(?:/${SEGMENT})?` : ''}$`), `a file under ${dir}/`);

export const ImageCompression = z.enum(['gzip', 'none']);
export type ImageCompression = z.infer<typeof ImageCompression>;

export const BundleImage = z
  .object({
    /** The compose service that runs this image. */
    service: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
    ref: ImageRef,
    id: ImageId,
    file: entryName('images'),
    compression: ImageCompression,
    /** sha256 and byte size of the tarball as stored in the bundle. */
    sha256: Sha256Hex,
    size: z.number().int().positive(),
    /** What the image takes in the engine once loaded (docker image inspect .Size): the disk check uses it. */
    unpackedSize: z.number().int().nonnegative(),
  })
  .strict();
export type BundleImage = z.infer<typeof BundleImage>;

export const BundleModel = z
  .object({
    name: ModelName,
    file: entryName('models', true),
    sha256: Sha256Hex,
    size: z.number().int().nonnegative(),
  })
  .strict();
export type BundleModel = z.infer<typeof BundleModel>;

/** One variable of the stack's environment; secrets are generated at install, never shipped. */
export const EnvVariable = z
  .object({
    name: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    description: LocalizedText,
    secret: z.boolean(),
    /** How the installer makes the value when it is a secret. */
    generate: z.enum(['hex32', 'base64url48']).optional(),
    default: z.string().optional(),
    required: z.boolean().default(true),
  })
  .strict()
  .refine((v) => !(v.secret && v.default !== undefined), 'a secret has no default: it is generated at install')
  .refine((v) => !v.secret || v.generate !== undefined, 'a secret names how it is generated');
export type EnvVariable = z.infer<typeof EnvVariable>;
export const EnvSchema = z.array(EnvVariable).min(1);

export const BundleManifest = z
  .object({
    schemaVersion: z.literal(1),
    bundleVersion: SemVer,
    stackVersion: SemVer,
    /** The oldest installed version this bundle may upgrade; older ones must step through an intermediate release. */
    minUpgradeFrom: SemVer,
    createdAt: z.iso.datetime(),
    releaseNotes: LocalizedText,
    compose: z.object({ file: z.literal('compose.yaml'), content: z.string().min(1) }).strict(),
    envSchema: EnvSchema,
    images: z.array(BundleImage).min(1),
    models: z.array(BundleModel),
  })
  .strict()
  .superRefine((m, ctx) => {
    const files = [...m.images.map((i) => i.file), ...m.models.map((x) => x.file)];
    if (new Set(files).size !== files.length) ctx.addIssue({ code: 'custom', message: 'two entries share a file name', path: ['images'] });
  });
export type BundleManifest = z.infer<typeof BundleManifest>;

/** manifest.sig: a detached Ed25519 signature over the exact bytes of manifest.json. */
export const BundleSignature = z
  .object({
    algorithm: z.literal('ed25519'),
    /** sha256 (hex) of the signer's public key in SPKI DER form. */
    keyId: Sha256Hex,
    signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
  })
  .strict();
export type BundleSignature = z.infer<typeof BundleSignature>;

/** Where a bundle file is: a path on the machine that runs the core (the console's server side for the web). */
export const BundleFileRequest = z.object({ path: z.string().min(1) }).strict();

export const BundleSigner = z.object({ keyId: Sha256Hex, name: z.string() }).strict();

/** What `bundle.inspect` shows before anything is checked beyond the signature. */
export const BundleInspection = z
  .object({
    path: z.string(),
    fileSize: z.number().int().nonnegative(),
    manifest: BundleManifest,
    signer: BundleSigner,
    installedVersion: SemVer.nullable(),
    /** 'upgrade' | 'same' | 'downgrade' | 'fresh', relative to what this manager recorded. */
    relation: z.enum(['fresh', 'upgrade', 'same', 'downgrade']),
  })
  .strict();
export type BundleInspection = z.infer<typeof BundleInspection>;

export const BundleVerifyResult = z
  .object({
    bundleVersion: SemVer,
    signer: BundleSigner,
    entriesVerified: z.number().int().nonnegative(),
    bytesVerified: z.number().int().nonnegative(),
  })
  .strict();
export type BundleVerifyResult = z.infer<typeof BundleVerifyResult>;

export const BundleImportRequest = BundleFileRequest.extend({
  /** Allows importing a bundle older than the installed one (a deliberate downgrade). */
  force: z.boolean().default(false),
}).strict();

export const BundleImportResult = z
  .object({
    bundleVersion: SemVer,
    stackVersion: SemVer,
    loaded: z.array(z.object({ ref: z.string(), id: ImageId }).strict()),
    skipped: z.array(z.object({ ref: z.string(), id: ImageId }).strict()),
    modelsDir: z.string(),
    bytesRead: z.number().int().nonnegative(),
  })
  .strict();
export type BundleImportResult = z.infer<typeof BundleImportResult>;

export const ImportedBundle = z
  .object({
    bundleVersion: SemVer,
    stackVersion: SemVer,
    signerKeyId: Sha256Hex,
    manifestSha256: Sha256Hex,
    importedAt: z.string(),
    sourcePath: z.string(),
    modelsDir: z.string(),
  })
  .strict();
export type ImportedBundle = z.infer<typeof ImportedBundle>;

export const BundleKeygenRequest = z
  .object({ dir: z.string().min(1), name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a key name of letters, digits, . _ -') })
  .strict();
export const BundleKeygenResult = z.object({ privateKeyPath: z.string(), publicKeyPath: z.string(), keyId: Sha256Hex }).strict();

export const BundleBuildRequest = z
  .object({
    /** Folder with compose.yaml, env.schema.json, stack.json and release-notes/{zh-CN,en}.md. */
    stackDir: z.string().min(1),
    /** Where the stack.json's model files are read from (default: the stack folder). */
    modelsDir: z.string().min(1).optional(),
    bundleVersion: SemVer,
    privateKeyPath: z.string().min(1),
    outPath: z.string().min(1),
    compression: ImageCompression.default('gzip'),
    /** Pull an image the local engine lacks (the online build machine); offline, the build is refused. */
    pull: z.boolean().default(true),
  })
  .strict();
export const BundleBuildResult = z
  .object({ path: z.string(), size: z.number().int().nonnegative(), manifestSha256: Sha256Hex, keyId: Sha256Hex, images: z.array(BundleImage), models: z.array(BundleModel) })
  .strict();
export type BundleBuildResult = z.infer<typeof BundleBuildResult>;

/**
 * Web console only: a bundle file streamed from the browser (POST, application/octet-stream,
 * Content-Length required) into the manager's data directory; answers { path, size }
 * for bundle.inspect / verify / import. Electron and the CLI read the file where it lies.
 */
export const BUNDLE_UPLOAD_PATH = '/api/bundle/upload';
export const BundleUploadResult = z.object({ path: z.string(), size: z.number().int().nonnegative() }).strict();
export type BundleUploadResult = z.infer<typeof BundleUploadResult>;
