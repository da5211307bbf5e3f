import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

/** The forbidden-import check of ARCHITECTURE.md, for the contract and the renderer. */
const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry) && !entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
}

describe('layering', () => {
  test('core/api imports only zod and browser-safe repo modules (no node:, no electron, no react)', () => {
    for (const file of sourceFiles(join(root, 'core/api'))) {
      for (const spec of importsOf(file)) {
        const allowed = spec === 'zod' || spec.startsWith('./') || spec.startsWith('../schema/');
        expect(allowed, `${relative(root, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  test('the renderer imports from the repo only the contract (core/api) and the column/rule schema (core/schema)', () => {
    const files = sourceFiles(join(root, 'renderer/src'));
    for (const file of files) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('node:') || spec === 'electron') throw new Error(`${relative(root, file)} imports ${spec}`);
        if (!spec.startsWith('.')) continue;
        const target = relative(root, resolve(file, '..', spec));
        const allowed =
          target.startsWith('renderer/') || target.startsWith('core/api/') || target.startsWith('core/schema/');
        expect(allowed, `${relative(root, file)} imports ${spec}`).toBe(true);
      }
    }
  });
});
