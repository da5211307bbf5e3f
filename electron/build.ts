/**
 * Bundles Electron's main, the core utility process, the pipeline's worker-thread entries (parse, score, store:
 * started by the core process for big imports, and the training fold pool's), the retraining tool the core process
 * runs in a worker thread, and the preload with esbuild into dist/electron/*.cjs.
 * electron and the native modules stay external (they are loaded from node_modules / app.asar.unpacked).
 *
 *   npx tsx electron/build.ts [--out DIR]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { COMMONJS_OPTIONS, workerEntryPoints } from '../scripts/build-cli';

const ROOT = resolve(import.meta.dirname, '..');
export const ELECTRON_DIST = resolve(ROOT, 'dist/electron');

/** Modules never bundled: Electron itself and the two native addons. */
export const EXTERNAL = ['electron', 'better-sqlite3', 'onnxruntime-node'];

/** The worker entries as the core process spawns them: `<name>.cjs` beside core-process.cjs. */
export const WORKER_BUNDLES = workerEntryPoints().map((entry) => `${entry.out}.cjs`);

/** How every Node-side bundle is built (main, the core process, the workers). */
export const NODE_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node' as const,
  format: 'cjs' as const,
  // Electron 45 ships Node 22 and Chromium 140.
  target: 'node22',
  external: EXTERNAL,
  sourcemap: true,
  logLevel: 'warning' as const,
  ...COMMONJS_OPTIONS,
};

export async function buildElectron(outDir: string = ELECTRON_DIST): Promise<void> {
  const common = NODE_BUNDLE_OPTIONS;
  await Promise.all([
    build({
      ...common,
      entryPoints: [resolve(ROOT, 'electron/main/index.ts')],
      outfile: resolve(outDir, 'main.cjs'),
    }),
    build({
      ...common,
      entryPoints: [resolve(ROOT, 'electron/main/core-process.ts')],
      outfile: resolve(outDir, 'core-process.cjs'),
    }),
    build({
      ...common,
      // The same entries as the CLI's (scripts/build-cli.ts), as CommonJS: a worker thread loads the native modules
      // as the core process does, through native-modules.ts (which only CommonJS resolution goes through), and
      // Electron reads CommonJS from the asar archive.
      entryPoints: workerEntryPoints().map((entry) => ({ in: resolve(ROOT, entry.in), out: entry.out })),
      outdir: outDir,
      outExtension: { '.js': '.cjs' },
      inject: [resolve(ROOT, 'electron/main/native-modules.ts')],
    }),
    build({
      ...common,
      // The retraining tool the core process runs in a worker thread (core/app/admin/retrain-process.ts), with its
      // fold worker among the worker entries above; esbuild is only needed when it runs from sources.
      entryPoints: [resolve(ROOT, 'training/cli/retrain.ts')],
      outfile: resolve(outDir, 'retrain.cjs'),
      external: [...EXTERNAL, 'esbuild', 'tsx'],
      inject: [resolve(ROOT, 'electron/main/native-modules.ts')],
    }),
    build({
      ...common,
      // The sandboxed preload can require only 'electron' (no node:url for the import.meta shim).
      banner: {},
      define: {},
      entryPoints: [resolve(ROOT, 'electron/preload/index.ts')],
      outfile: resolve(outDir, 'preload.cjs'),
      target: 'chrome140',
    }),
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = values.out ? resolve(values.out) : ELECTRON_DIST;
  await buildElectron(outDir);
  console.log(`built ${outDir}/{main,core-process,preload,${WORKER_BUNDLES.join(',')}}`);
}
