// Bundles the Node-side entry points with esbuild. Native modules and Electron stay
// external: they are loaded from node_modules (or the packaged app) at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3', 'dockerode', 'ssh2', 'cpu-features', 'onnxruntime-node', 'systeminformation'],
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/cli/medai.ts'], outfile: 'dist/cli/medai.cjs', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  // A sandboxed preload may require only 'electron': everything else is bundled in.
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', platform: 'browser', external: ['electron'] }),
]);
