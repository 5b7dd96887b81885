import { z } from 'zod';
import { OperationId } from './operation';
import { StackName } from './stack';

/**
 * The diagnostics bundle a support engineer carries away: one .tar.gz (0600) with the
 * manager's facts, the stack's state and logs, and its config with every secret redacted.
 */
export const DiagnosticsBundleRequest = z
  .object({
    /** Output file; default <dataDir>/support/medai-diagnostics-<host>-<time>.tar.gz. */
    out: z.string().min(1).optional(),
    stack: StackName.default('medai'),
    /** Last N log lines of each stack container. */
    logLines: z.number().int().min(1).max(10000).default(500),
  })
  .strict();

export const DiagnosticsManifestEntry = z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string(), redacted: z.array(z.string()) }).strict();
export type DiagnosticsManifestEntry = z.infer<typeof DiagnosticsManifestEntry>;

export const DiagnosticsBundleResult = z
  .object({
    file: z.string(),
    fileName: z.string(),
    bytes: z.number().int(),
    sha256: z.string(),
    entries: z.array(DiagnosticsManifestEntry),
    /** Names of what was redacted (keys, patterns), never the values. */
    redacted: z.array(z.string()),
    /** Parts that could not be collected (the engine down, no stack): the bundle is still written. */
    missing: z.array(z.string()),
  })
  .strict();
export type DiagnosticsBundleResult = z.infer<typeof DiagnosticsBundleResult>;

/** The web console serves a bundle of the data directory's support/ folder here (GET, signed in). */
export const SUPPORT_BUNDLE_DOWNLOAD_PATH = '/api/support/bundles/';

const OperationStarted = z.object({ operationId: OperationId }).strict();

/** Spread into METHODS (contract/methods.ts). Same shape as its operation() helper. */
export const DIAGNOSTICS_METHODS = {
  /** Collects, redacts and writes the bundle; progress is one step per collected part. */
  'diagnostics.bundle': { kind: 'operation', request: DiagnosticsBundleRequest, response: OperationStarted, result: DiagnosticsBundleResult },
} as const;
