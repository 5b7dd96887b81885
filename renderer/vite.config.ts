import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// `MEDAI_CONSOLE=http://127.0.0.1:8686 npm run dev:renderer` develops pages against a running
// `medai console`. The console refuses foreign Origin headers (CSRF guard), so the proxy
// presents the console's own origin.
const consoleUrl = process.env.MEDAI_CONSOLE;
const toConsole = consoleUrl ? { target: consoleUrl, changeOrigin: true, headers: { origin: consoleUrl } } : undefined;

// `base: './'` keeps every asset URL relative, so the same build loads from the web
// console (http://127.0.0.1:…/) and from file:// inside the Electron window.
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    // The bundle is read from local disk or loopback, never over a hospital WAN, so one
    // antd-sized chunk costs nothing worth splitting for.
    chunkSizeWarningLimit: 2500,
  },
  server: {
    host: '127.0.0.1',
    proxy: toConsole ? { '/api/events': { ...toConsole, ws: true }, '/api': toConsole, '/docs': toConsole } : undefined,
  },
});
