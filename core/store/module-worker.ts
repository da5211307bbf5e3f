import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * The pipeline's worker threads keep little on their heaps (typed arrays travel as transferred buffers), so a young
 * generation much smaller than V8's default lowers a large batch's peak memory without slowing it down.
 */
export const WORKER_HEAP_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8 };

/**
 * Starts the worker module `<baseName>` beside `callerUrl`. From compiled JavaScript it is the sibling .js
 * file; from TypeScript sources (tsx, vitest) a Node 20 worker cannot take a loader flag, so a two-line
 * bootstrap imports the .ts file through tsx's API. Bundles (scripts/build-cli.ts, electron/build.ts) put each
 * worker entry beside the bundle that spawns it.
 */
export function spawnModuleWorker(
  callerUrl: string,
  baseName: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  if (!callerUrl.endsWith('.ts')) {
    // A CommonJS bundle (the Electron build) has its workers bundled as CommonJS too, named .cjs as itself.
    const ext = callerUrl.endsWith('.cjs') ? 'cjs' : 'js';
    return new Worker(new URL(`./${baseName}.${ext}`, callerUrl), { workerData, resourceLimits });
  }
  const entry = new URL(`./${baseName}.ts`, callerUrl).href;
  // The ESM build of tsx's API (require.resolve would pick the CommonJS one).
  const tsxDir = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(code, { eval: true, workerData, resourceLimits });
}
