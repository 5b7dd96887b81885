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
  // The Milvus SDK reads its .proto files next to its own code at run time, so it cannot be bundled.
  external: ['electron', 'better-sqlite3', 'dockerode', 'ssh2', 'cpu-features', 'onnxruntime-node', 'systeminformation', '@zilliz/milvus2-sdk-node'],
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/cli/medai.ts'], outfile: 'dist/cli/medai.cjs', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  // A sandboxed preload may require only 'electron': everything else is bundled in.
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', platform: 'browser', external: ['electron'] }),
]);
