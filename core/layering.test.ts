import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

/**
 * The layering rules, checked mechanically so they cannot rot: core/ runs in plain Node (and its api/ and schema/
 * folders in the browser too), the renderer talks to core only through the contract, training code stays out of the
 * product, and the product never depends on its own tests.
 */
const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function filesUnder(...folders: string[]): string[] {
  return folders.flatMap((folder) => {
    try {
      return sourceFiles(join(root, folder));
    } catch {
      return [];
    }
  });
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of source.matchAll(pattern)) specifiers.push(match[1] ?? match[2] ?? match[3]);
  return specifiers;
}

/** Repo-relative path of a relative import, or null for a package. */
function targetOf(file: string, spec: string): string | null {
  return spec.startsWith('.') ? relative(root, resolve(file, '..', spec)) : null;
}

/** Each offending import of the files, as "file imports spec". */
function offences(files: string[], forbidden: (spec: string, target: string | null) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((spec) => forbidden(spec, targetOf(file, spec)))
      .map((spec) => `${relative(root, file)} imports ${spec}`),
  );
}

const isTest = (file: string) => /\.(test|spec)\.tsx?$/.test(file);
/** Test support: its folders. (The synthetic batch generator is product code: `npm run make:sample` ships its output.) */
const TEST_SUPPORT = /(^|\/)(core\/testing|test-support|fixtures)\//;
const isTestSupport = (file: string) => TEST_SUPPORT.test(relative(root, file));
/** Benchmarks (scripts/bench) are tools, not product: they may borrow test data loaders and time training code. */
const isBenchmark = (file: string) => relative(root, file).startsWith('scripts/bench/');

test('core imports nothing from electron, react, the renderer or the DOM', () => {
  const forbidden = [
    /^electron(\/|$)/,
    /^react(-dom)?(\/|$)/,
    /^@tanstack\//,
    /^recharts/,
    /(^|\/)renderer\//,
    /(^|\/)electron\//,
  ];
  const domGlobals = /\b(window|document|localStorage|sessionStorage|navigator)\s*\./;
  const files = filesUnder('core');
  const found = offences(files, (spec) => forbidden.some((p) => p.test(spec)));
  for (const file of files.filter((f) => !isTest(f))) {
    if (domGlobals.test(readFileSync(file, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) {
      found.push(`${relative(root, file)} uses a DOM global`);
    }
  }
  expect(found).toEqual([]);
});

test('core/api and core/schema stay browser-safe (no node: imports), since the renderer imports them', () => {
  const files = filesUnder('core/api', 'core/schema').filter((f) => !isTest(f));
  const nodeOnly = /^(node:|(fs|path|os|crypto|better-sqlite3|onnxruntime-node)$)/;
  expect(offences(files, (spec) => nodeOnly.test(spec))).toEqual([]);
});

test('core/api imports only zod, itself and the column/rule schema', () => {
  const files = filesUnder('core/api').filter((f) => !isTest(f));
  const allowed = (spec: string, target: string | null) =>
    spec === 'zod' || target?.startsWith('core/api/') || target?.startsWith('core/schema/');
  expect(offences(files, (spec, target) => !allowed(spec, target))).toEqual([]);
});

test('the renderer imports from the rest of the repo only the contract, through the @contract alias', () => {
  const files = filesUnder('renderer/src').filter((f) => !isTest(f));
  const allowed = (spec: string, target: string | null) =>
    target === null
      ? spec.startsWith('@contract/') || (!spec.startsWith('node:') && spec !== 'electron' && !spec.startsWith('@/'))
      : target.startsWith('renderer/');
  expect(offences(files, (spec, target) => !allowed(spec, target))).toEqual([]);
});

test('outside training/, only tests, test support and benchmarks import training code', () => {
  const files = filesUnder('core', 'electron', 'renderer', 'scripts', 'e2e').filter(
    (f) => !isTest(f) && !isTestSupport(f) && !isBenchmark(f),
  );
  expect(offences(files, (_spec, target) => target?.startsWith('training/') === true)).toEqual([]);
});

test('product code never imports test support or the e2e folder', () => {
  const files = filesUnder('core', 'electron', 'renderer').filter(
    (f) => !isTest(f) && !isTestSupport(f) && !isBenchmark(f),
  );
  const forbidden = (target: string | null) =>
    target !== null &&
    (TEST_SUPPORT.test(`${target}/`) || TEST_SUPPORT.test(`${target}.ts`) || target.startsWith('e2e/'));
  expect(offences(files, (_spec, target) => forbidden(target))).toEqual([]);
});

test('the native modules are imported in exactly one adapter file each', () => {
  const owners: Record<string, string[]> = { 'better-sqlite3': [], 'onnxruntime-node': [] };
  for (const file of filesUnder('core', 'training', 'electron').filter((f) => !isTest(f))) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      // A file may import one both ways (its types statically, the module on first use): it is one adapter.
      if (spec in owners && !owners[spec].includes(relative(root, file))) owners[spec].push(relative(root, file));
    }
  }
  for (const [module, files] of Object.entries(owners))
    expect(files.length, `${module}: ${files}`).toBeLessThanOrEqual(1);
});
