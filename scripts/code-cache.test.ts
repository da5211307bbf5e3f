import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

/** scripts/code-cache.cjs, each run a fresh process, as scripts/run-cli.cjs uses it. */
const CODE_CACHE = pathToFileURL(resolve(import.meta.dirname, 'code-cache.cjs')).href;
let dir: string;
let cacheDir: string;
let bundle: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
  cacheDir = join(dir, 'cache');
  bundle = join(dir, 'tool.js');
  writeFileSync(join(dir, 'helper.js'), 'module.exports = (x) => x * 2;\n');
  writeBundle('');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A CommonJS "bundle" that requires a neighbour and a builtin and sets an exit code from argv, asynchronously. */
function writeBundle(extra: string) {
  writeFileSync(
    bundle,
    `const double = require('./helper.js');
const isMain = require.main === module && process.argv[1] === __filename;
Promise.resolve().then(() => require('node:path')).then((path) => {
  console.log(JSON.stringify({ isMain, args: process.argv.slice(2), doubled: double(21), base: path.basename(__filename) }));
  process.exitCode = process.argv.includes('--fail') ? 3 : 0;
});
${extra}`,
  );
}

// One driver for every run: its text is among the process's flags, which key the cache.
const DRIVER = `import(${JSON.stringify(CODE_CACHE)}).then((m) => {
  const { bundle, args, cacheDir, helpRun } = JSON.parse(process.env.CODE_CACHE_RUN);
  process.stderr.write(m.runWithCodeCache(bundle, args, cacheDir, { helpRun }) ? 'cache used' : 'compiled');
});`;

function run(args: string[], helpRun = false) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', DRIVER], {
    encoding: 'utf8',
    env: { ...process.env, CODE_CACHE_RUN: JSON.stringify({ bundle, args, cacheDir, helpRun }) },
  });
  return { code: r.status, out: r.stdout.trim() ? JSON.parse(r.stdout.trim()) : null, cache: r.stderr };
}

const caches = () => {
  try {
    return readdirSync(cacheDir).sort();
  } catch {
    return [];
  }
};

describe('runWithCodeCache', () => {
  test('the bundle runs as the main module with its arguments, the first time compiled and then from the cache', () => {
    const first = run(['--input', 'a.csv']);
    expect(first).toEqual({
      code: 0,
      out: { isMain: true, args: ['--input', 'a.csv'], doubled: 42, base: 'tool.js' },
      cache: 'compiled',
    });
    expect(caches()).toEqual([expect.stringMatching(/^tool\.js-[0-9a-f]{24}\.full\.bin$/)]);
    const second = run(['--input', 'a.csv']);
    expect(second).toEqual({ ...first, cache: 'cache used' });
    expect(caches()).toHaveLength(1);
  });

  test('a bundle that is not ASCII runs with its text as written, and from its cache', () => {
    // Read as one byte a character, the two UTF-8 bytes of µ and of ² would make it 9 characters long.
    writeBundle("if ('µg/dL ²'.length !== 7) process.exit(9);");
    expect(run(['z']).code).toBe(0);
    expect(run(['z'])).toMatchObject({ code: 0, cache: 'cache used' });
  });

  test("a changed bundle never meets the old bundle's cache, even at the same length", () => {
    run([]);
    writeBundle('// a');
    const before = caches();
    writeBundle('// b');
    expect(run([]).cache).toBe('compiled');
    expect(caches()).toHaveLength(before.length + 1);
    expect(run([]).cache).toBe('cache used');
  });

  test("a help run's or a failed run's cache serves until a successful run writes the full one", () => {
    expect(run(['--help'], true).cache).toBe('compiled');
    expect(caches()).toEqual([expect.stringMatching(/\.partial\.bin$/)]);
    expect(run(['--fail']).code).toBe(3);
    // The failed run used the partial cache and writes nothing more.
    expect(caches()).toHaveLength(1);
    expect(run([]).cache).toBe('cache used');
    expect(caches()).toEqual([expect.stringMatching(/\.full\.bin$/), expect.stringMatching(/\.partial\.bin$/)]);
    expect(run([]).cache).toBe('cache used');
  });

  test('a corrupt cache is rejected by V8, the bundle still runs, and the next successful run rewrites it', () => {
    run([]);
    const [file] = caches();
    writeFileSync(join(cacheDir, file), Buffer.alloc(4096, 0x5a));
    const r = run(['x']);
    expect(r.code).toBe(0);
    expect(r.out.args).toEqual(['x']);
    expect(r.cache).toBe('compiled');
    expect(run(['x']).cache).toBe('cache used');
  });

  test('where the cache folder cannot be made, the bundle runs without one', () => {
    // A file where the folder should be: refused to root as well.
    writeFileSync(cacheDir, 'not a folder');
    const r = run(['y']);
    expect(r.code).toBe(0);
    expect(r.out.doubled).toBe(42);
    expect(readdirSync(dir).sort()).toEqual(['cache', 'helper.js', 'tool.js']);
  });

  test('other Node flags have a cache of their own (V8 refuses one made under other flags)', () => {
    run([]);
    const other = spawnSync(process.execPath, ['--max-semi-space-size=4', '--input-type=module', '-e', DRIVER], {
      encoding: 'utf8',
      env: { ...process.env, CODE_CACHE_RUN: JSON.stringify({ bundle, args: [], cacheDir, helpRun: false }) },
    });
    expect(other.stderr).toBe('compiled');
    expect(caches()).toHaveLength(2);
    expect(run([]).cache).toBe('cache used');
  });
});
