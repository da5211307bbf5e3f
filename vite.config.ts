import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The renderer build. Output goes to dist/renderer, served by Electron's app:// protocol and by the e2e host.
 * Relative asset paths (base './') work under both origins.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  // The contract alias of renderer/tsconfig.json: the renderer reaches core/api, and nothing else of the repo.
  resolve: { alias: { '@contract': fileURLToPath(new URL('./core/api', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Module preload polyfill is injected inline-free, but we target Chromium only: no polyfill needed.
    modulePreload: { polyfill: false },
    target: 'chrome130',
    sourcemap: false,
  },
});
