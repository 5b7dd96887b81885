import type { CallHandlers, OperationBodies } from '../capability';
import { CoreError } from '../contract';
import type { CoreDeps } from '../core';
import { engineError } from '../engine/engine-errors';
import { openBundle } from './bundle-reader';
import { BundleStore } from './bundle-store';
import { buildBundle } from './build-bundle';
import { realStatFs, type StatFs } from './disk-space';
import { importBundle } from './import-bundle';
import { defaultTrustDir, generateSigningKey, loadTrustedKeys } from './keys';
import { verifyBundle } from './verify-bundle';
import { relationTo } from './version-policy';

/** What tests (and an admin's deployment profile) may point elsewhere. */
export interface BundleOptions {
  /** Folder of trusted `*.pub` keys; default: the shipped resources/keys. */
  trustDir?: string;
  statfs?: StatFs;
}

type Deps = CoreDeps & { bundle?: BundleOptions };

const trustedKeys = (deps: Deps) => loadTrustedKeys(deps.bundle?.trustDir ?? defaultTrustDir());

/** Engine failures (socket gone, timeouts) become the engine's own errors, not INTERNAL. */
const engineGuard = async <T>(deps: Deps, work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (e) {
    throw e instanceof CoreError ? e : engineError(e, deps.dockerEndpoint);
  }
};

export const bundleCalls = (deps: Deps): CallHandlers<'bundle.inspect' | 'bundle.list' | 'bundle.keygen'> => ({
  'bundle.inspect': async (req) => {
    const bundle = await openBundle(req.path, trustedKeys(deps));
    bundle.close();
    const installedVersion = new BundleStore(deps.db).installedVersion();
    return {
      path: req.path,
      fileSize: bundle.fileSize,
      manifest: bundle.manifest,
      signer: { keyId: bundle.signer.keyId, name: bundle.signer.name },
      installedVersion,
      relation: relationTo(installedVersion, bundle.manifest.bundleVersion),
    };
  },
  'bundle.list': () => new BundleStore(deps.db).list(),
  'bundle.keygen': (req) => generateSigningKey(req.dir, req.name),
});

export const bundleOperations = (deps: Deps): OperationBodies<'bundle.verify' | 'bundle.import' | 'bundle.build'> => ({
  'bundle.verify': (req, ctx) => verifyBundle(req.path, trustedKeys(deps), ctx),
  'bundle.import': (req, ctx) =>
    engineGuard(deps, () =>
      importBundle(
        {
          docker: deps.docker,
          socketPath: deps.dockerEndpoint.socketPath,
          dataDir: deps.dataDir,
          store: new BundleStore(deps.db),
          trusted: trustedKeys(deps),
          statfs: deps.bundle?.statfs ?? realStatFs,
          clock: deps.clock,
        },
        req,
        ctx,
      ),
    ),
  'bundle.build': (req, ctx) => engineGuard(deps, () => buildBundle(deps, req, ctx)),
});
