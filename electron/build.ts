/**
 * Bundles Electron's main, the core utility process and the preload with esbuild into dist/electron/*.cjs.
 * electron and the native modules stay external (they are loaded from node_modules / app.asar.unpacked).
 *
 *   npx tsx electron/build.ts
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
export const ELECTRON_DIST = resolve(ROOT, 'dist/electron');

/** Modules never bundled: Electron itself and the two native addons. */
export const EXTERNAL = ['electron', 'better-sqlite3', 'onnxruntime-node'];

export async function buildElectron(): Promise<void> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    // Electron 45 ships Node 22 and Chromium 140.
    target: 'node22',
    external: EXTERNAL,
    sourcemap: true,
    logLevel: 'warning' as const,
    // Core modules are ESM; give them import.meta.url / dirname in the CommonJS bundle.
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl', 'import.meta.dirname': '__dirname' },
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [resolve(ROOT, 'electron/main/index.ts')],
      outfile: resolve(ELECTRON_DIST, 'main.cjs'),
    }),
    build({
      ...common,
      entryPoints: [resolve(ROOT, 'electron/main/core-process.ts')],
      outfile: resolve(ELECTRON_DIST, 'core-process.cjs'),
    }),
    build({
      ...common,
      // The sandboxed preload can require only 'electron' (no node:url for the import.meta shim).
      banner: {},
      define: {},
      entryPoints: [resolve(ROOT, 'electron/preload/index.ts')],
      outfile: resolve(ELECTRON_DIST, 'preload.cjs'),
      target: 'chrome140',
    }),
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildElectron();
  console.log(`built ${ELECTRON_DIST}/{main,core-process,preload}.cjs`);
}
