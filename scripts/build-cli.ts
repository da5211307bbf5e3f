/**
 * Bundles the command-line tools and their worker-thread entries with esbuild into dist/cli/, so that
 * `npm run screen` and the others start as plain JavaScript instead of compiling TypeScript through tsx at every
 * start. Run by `prepare` on npm ci, and by hand as `npm run build:cli`.
 *
 * CommonJS, one file per CLI: scripts/run-cli.cjs compiles a CLI's bundle with V8's code cache (which Node 20 has
 * for CommonJS only), so that a start reads compiled code instead of compiling it again. What a CLI imports
 * dynamically (screen's pipeline, past --help) is in its bundle but not run until imported. The workers are
 * spawned as `./<name>.js` beside the calling module's URL (core/store/module-worker.ts); in a bundle that URL is
 * the bundle's own, so each worker is bundled under its own name into the same folder, which a package.json marks
 * as CommonJS. dist/cli/manifest.json lists the source files the bundles were built from: scripts/run-cli.cjs runs
 * a bundle only while none of them is newer, and the TypeScript through tsx otherwise.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
export const CLI_DIST = resolve(ROOT, 'dist/cli');

export interface CliEntries {
  clis: Record<string, string>;
  workers: Record<string, string>;
  /**
   * Per CLI, a small module that scripts/run-cli.cjs runs before it compiles that CLI's bundle, to start what the
   * run will wait for longest (screen: the score thread). Bundled as `<cli>-prestart.js`.
   */
  prestarts: Record<string, string>;
}

export const CLI_ENTRIES: CliEntries = JSON.parse(readFileSync(resolve(ROOT, 'scripts/cli-entries.json'), 'utf8'));

/**
 * The worker-thread entries as esbuild entry points, each out under its own name: a bundle spawns `./<name>.js`
 * (`.cjs` from a CommonJS bundle) beside itself, so every bundle that starts the pipeline's threads (these CLIs,
 * the Electron core process) is built into one folder with these.
 */
export function workerEntryPoints(): { in: string; out: string }[] {
  return Object.entries(CLI_ENTRIES.workers).map(([out, src]) => ({ in: src, out }));
}

/**
 * Native addons load their .node files from node_modules; tsx is only needed to run sources, and esbuild only by the
 * training fold pool when it runs from sources (a bundle has its fold worker beside it).
 */
export const EXTERNAL = ['better-sqlite3', 'onnxruntime-node', 'tsx', 'esbuild'];

/**
 * zod's `z.locales` namespace holds every language's error messages; nothing here reads them (zod itself imports its
 * English messages directly, and those stay), but bundled they are half of zod, parsed at every start by the CLI and
 * by the store thread. The namespace keeps only `en`.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: resolve(args.resolveDir, '../locales/index.js'), namespace: 'zod-english-only' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: resolve(args.path, '..'),
    }));
  },
};

/**
 * Core modules are ESM: a CommonJS bundle of them (these CLIs, the Electron build) gets import.meta.url / dirname
 * from its own file, and import() of an external (onnxruntime-node, loaded on first use) becomes require(): a
 * script compiled through node:vm, as run-cli.cjs runs these bundles, can only import() with an experimental flag,
 * and in Electron require() is what loads native modules from the unpacked archive.
 */
export const COMMONJS_OPTIONS = {
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl', 'import.meta.dirname': '__dirname' },
  supported: { 'dynamic-import': false },
};

/** The bundle name of a CLI's prestart module (scripts/run-cli.cjs names it the same way). */
export const prestartBundleName = (cli: string): string => `${cli}-prestart`;

export interface CliManifest {
  builtAt: string;
  bundles: string[];
  /** The project's source files the bundles were built from (node_modules left out), relative to the root. */
  inputs: string[];
}

export async function buildCli(): Promise<CliManifest> {
  rmSync(CLI_DIST, { recursive: true, force: true });
  const prestarts = Object.entries(CLI_ENTRIES.prestarts).map(([cli, src]) => ({
    in: src,
    out: prestartBundleName(cli),
  }));
  const entries = [
    ...Object.keys(CLI_ENTRIES.clis),
    ...Object.keys(CLI_ENTRIES.workers),
    ...prestarts.map((p) => p.out),
  ];
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [
      ...Object.entries(CLI_ENTRIES.clis).map(([out, src]) => ({ in: src, out })),
      ...workerEntryPoints(),
      ...prestarts,
    ],
    outdir: CLI_DIST,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    plugins: [zodEnglishOnly],
    ...COMMONJS_OPTIONS,
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.includes('node_modules/'))
    .sort();
  const manifest: CliManifest = { builtAt: new Date().toISOString(), bundles: entries, inputs };
  // The project's package.json says "type": "module"; the bundles here are CommonJS.
  writeFileSync(resolve(CLI_DIST, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  writeFileSync(resolve(CLI_DIST, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t = performance.now();
  const manifest = await buildCli();
  console.log(
    `built ${manifest.bundles.length} bundles into ${relative(ROOT, CLI_DIST)}/ in ${Math.round(performance.now() - t)} ms`,
  );
}
