import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

/**
 * The store writer thread and the drift thread start for every large batch, while the main thread waits for (or
 * soon needs) them: what they load is start-up time. Neither needs the API's zod schemas; this catches an import
 * that would bring them (and zod) back.
 */
const ROOT = resolve(import.meta.dirname, '../..');

async function modulesOf(entry: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    external: ['better-sqlite3', 'onnxruntime-node'],
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('worker thread modules', () => {
  test.each(['core/store/batch-writer-worker.ts', 'core/screening/drift-worker.ts'])(
    '%s loads no zod',
    async (entry) => {
      const modules = await modulesOf(entry);
      expect(modules).toContain(entry);
      expect(modules.filter((m) => m.includes('node_modules/zod/'))).toEqual([]);
    },
  );

  test('the screen CLI does load zod (the check above would see it)', async () => {
    const modules = await modulesOf('core/cli/screen.ts');
    expect(modules.some((m) => m.includes('node_modules/zod/'))).toBe(true);
  });
});
