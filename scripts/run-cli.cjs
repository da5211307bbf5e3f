/**
 * `npm run screen|drift|labels|monitor|models|audit:verify -- ...`: runs the esbuild bundle in dist/cli/ (built on
 * npm ci by `prepare`, or by `npm run build:cli`) while it is newer than every source file it was built from, and
 * otherwise the TypeScript sources through tsx, as in development; GLUCOSCREEN_CLI=tsx forces the sources, and
 * GLUCOSCREEN_CLI_TRACE=1 says on stderr which of the two runs. A bundle runs with V8's code cache (code-cache.cjs),
 * after the CLI's prestart module, if cli-entries.json names one, has started what the run waits for longest.
 * Plain JavaScript, so that choosing costs a few milliseconds, and CommonJS, because an ES module as the entry point
 * starts Node's ES module loader first, which every start would pay for; the CLI then runs in this same process.
 */
const { readFileSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist/cli');
const [name, ...args] = process.argv.slice(2);
const { clis, prestarts } = JSON.parse(readFileSync(join(ROOT, 'scripts/cli-entries.json'), 'utf8'));
if (!clis[name]) {
  process.stderr.write(`usage: node scripts/run-cli.cjs <${Object.keys(clis).join('|')}> [args]\n`);
  process.exit(2);
}

/** The bundle, when it exists and no source it was built from changed since (else null). */
function freshBundle() {
  if (process.env.GLUCOSCREEN_CLI === 'tsx') return null;
  try {
    const bundle = join(DIST, `${name}.js`);
    const builtMs = statSync(bundle).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8'));
    for (const input of inputs) if (statSync(join(ROOT, input)).mtimeMs > builtMs) return null;
    return bundle;
  } catch {
    // No bundle, no manifest, or a source renamed since: the sources are the truth.
    return null;
  }
}

const trace = (line) => {
  if (process.env.GLUCOSCREEN_CLI_TRACE === '1') process.stderr.write(`[cli] ${line}\n`);
};
const bundle = freshBundle();
if (bundle) {
  if (prestarts[name]) {
    // Before anything else is loaded or compiled: what it starts (screen's score thread) then loads alongside. Only
    // ever a head start: without it (say, a dist/ built before it existed) the CLI starts the same thing itself.
    try {
      require(join(DIST, `${name}-prestart.js`)).prestart(args);
      trace(`prestart ${name}-prestart.js`);
    } catch (error) {
      trace(`no prestart: ${error?.message ?? error}`);
    }
  }
  const { runWithCodeCache } = require('./code-cache.cjs');
  const helpRun = args.includes('--help') || args.includes('-h');
  // Each CLI runs its main() when it is the process's main module: it is, from here on.
  const cached = runWithCodeCache(bundle, args, join(DIST, '.v8-cache'), { helpRun });
  trace(`bundle ${bundle} (${cached ? 'code cache' : 'compiled'})`);
} else {
  const entry = join(ROOT, clis[name]);
  const runSources = async () => {
    (await import('tsx/esm/api')).register();
    trace(`tsx ${entry}`);
    process.argv = [process.argv[0], entry, ...args];
    await import(pathToFileURL(entry).href);
  };
  // As an unhandled rejection would: the error on stderr, exit code 1.
  runSources().catch((error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
