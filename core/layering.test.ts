import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

/**
 * The layering rule of the design card, checked mechanically so it cannot rot: core/ runs in plain Node (and its
 * api/ and schema/ folders in the browser too), so it must never import Electron, React, the renderer or the DOM.
 */
const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of source.matchAll(pattern)) specifiers.push(match[1] ?? match[2] ?? match[3]);
  return specifiers;
}

const FORBIDDEN = [
  /^electron(\/|$)/,
  /^react(-dom)?(\/|$)/,
  /^@tanstack\//,
  /^recharts/,
  /(^|\/)renderer\//,
  /(^|\/)electron\//,
];
const DOM_GLOBALS = /\b(window|document|localStorage|sessionStorage|navigator)\s*\./;

test('core imports nothing from electron, react, the renderer or the DOM', () => {
  const offences: string[] = [];
  for (const file of sourceFiles(join(root, 'core'))) {
    const source = readFileSync(file, 'utf8');
    const name = relative(root, file);
    for (const spec of importsOf(source)) {
      if (FORBIDDEN.some((p) => p.test(spec))) offences.push(`${name} imports ${spec}`);
    }
    if (!file.endsWith('.test.ts') && DOM_GLOBALS.test(source.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) {
      offences.push(`${name} uses a DOM global`);
    }
  }
  expect(offences).toEqual([]);
});

test('core/api and core/schema stay browser-safe (no node: imports), since the renderer imports them', () => {
  const offences: string[] = [];
  for (const folder of ['api', 'schema']) {
    let files: string[] = [];
    try {
      files = sourceFiles(join(root, 'core', folder));
    } catch {
      continue;
    }
    for (const file of files.filter((f) => !f.endsWith('.test.ts'))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('node:') || /^(fs|path|os|crypto|better-sqlite3|onnxruntime-node)$/.test(spec)) {
          offences.push(`${relative(root, file)} imports ${spec}`);
        }
      }
    }
  }
  expect(offences).toEqual([]);
});

test('the native modules are imported in exactly one adapter file each', () => {
  const owners: Record<string, string[]> = { 'better-sqlite3': [], 'onnxruntime-node': [] };
  for (const top of ['core', 'training', 'electron']) {
    let files: string[] = [];
    try {
      files = sourceFiles(join(root, top));
    } catch {
      continue;
    }
    for (const file of files.filter((f) => !f.endsWith('.test.ts'))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec in owners) owners[spec].push(relative(root, file));
      }
    }
  }
  for (const [module, files] of Object.entries(owners))
    expect(files.length, `${module}: ${files}`).toBeLessThanOrEqual(1);
});
