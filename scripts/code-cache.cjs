/**
 * Runs a CommonJS bundle as the process's main module with V8's code cache, which Node 20 offers for scripts
 * compiled through node:vm only (module.enableCompileCache came with Node 22): a start then reads the compiled code
 * of the bundle instead of compiling its source again.
 *
 * The cache is keyed by the sha256 of the bundle's source, the Node version and its flags, so a rebuilt bundle or
 * another Node never meets an old cache (V8's own check of a cache against its source looks at the source's length
 * only). It is written after a run, so that it holds the functions that run compiled too; a run that asked for help
 * or failed compiles less, so a cache it wrote is replaced by the next successful run's. It is written to a
 * temporary file and renamed, so that concurrent starts never read half a cache, and it is skipped where the folder
 * cannot be written. The cache is as trusted as the bundle beside it: whoever can write the one can write the other.
 */
const { isAscii } = require('node:buffer');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

/** The cache files for a bundle's bytes: the one a successful run wrote, and the one any run wrote. */
function cacheFiles(bundlePath, bytes, cacheDir) {
  // V8 refuses a cache made under other flags: each set of flags (`npm run screen` passes some) has its own.
  const runtime = `\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}`;
  const key = createHash('sha256').update(bytes).update(runtime).digest('hex');
  const stem = join(cacheDir, `${basename(bundlePath)}-${key.slice(0, 24)}`);
  return { full: `${stem}.full.bin`, partial: `${stem}.partial.bin` };
}

function readIfPresent(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function writeAtomically(path, bytes) {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch {
    // A read-only installation runs without a cache.
    rmSync(temp, { force: true });
  }
}

/**
 * Runs `bundlePath` (CommonJS) as the main module with `args` as its arguments. Returns whether a cache was used
 * (for tests and tracing). The bundle's own code decides when the process ends.
 */
function runWithCodeCache(bundlePath, args, cacheDir, { helpRun = false } = {}) {
  const bytes = readFileSync(bundlePath);
  // An ASCII bundle (esbuild escapes what is not) is its own one-byte string: no UTF-8 decoding at every start.
  const source = isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
  const files = cacheFiles(bundlePath, bytes, cacheDir);
  const full = readIfPresent(files.full);
  const cachedData = full ?? readIfPresent(files.partial);
  // No import() callback: the bundles are built without import() (scripts/build-cli.ts), and one left would fail
  // loudly rather than run through an experimental loader.
  const script = new vm.Script(Module.wrap(source), { filename: bundlePath, cachedData });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  process.once('exit', (code) => {
    const fullRun = code === 0 && !helpRun;
    // A full run replaces a missing or rejected full cache; any run fills in where there is no usable cache at all.
    if (fullRun ? full === undefined || script.cachedDataRejected : !used) {
      writeAtomically(fullRun ? files.full : files.partial, script.createCachedData());
    }
  });

  const mainModule = new Module(bundlePath, null);
  mainModule.filename = bundlePath;
  mainModule.paths = Module._nodeModulePaths(dirname(bundlePath));
  mainModule.loaded = true;
  process.argv = [process.argv[0], bundlePath, ...args];
  const bundleRequire = Module.createRequire(bundlePath);
  bundleRequire.main = mainModule;
  const wrapper = script.runInThisContext();
  wrapper.call(mainModule.exports, mainModule.exports, bundleRequire, mainModule, bundlePath, dirname(bundlePath));
  return used;
}

module.exports = { cacheFiles, runWithCodeCache };
