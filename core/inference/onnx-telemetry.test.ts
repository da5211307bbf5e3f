import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { keepOnnxRuntimeOffline, ONNX_TELEMETRY_SWITCH, turnOffOnnxTelemetry } from './onnx-telemetry';

const ROOT = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'onnx-telemetry-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs `code` (TypeScript, through tsx) in a new Node process whose home and cache folders are empty, with only
 * PATH from this environment: no CI variable (the runtime stays quiet under some) and the switch set to 0 the way
 * a user's shell might. Returns what the runtime left in either folder.
 */
function runIsolated(name: string, code: string) {
  const dir = join(scratch, name);
  const home = join(dir, 'home');
  const cache = join(dir, 'cache');
  mkdirSync(home, { recursive: true });
  mkdirSync(cache, { recursive: true });
  const script = join(dir, 'run.mts');
  writeFileSync(script, code);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: cache, [ONNX_TELEMETRY_SWITCH]: '0' },
  });
  const left = (folder: string) => readdirSync(folder, { recursive: true }).map(String).sort();
  return { status: run.status, stderr: run.stderr, stdout: run.stdout, left: [...left(home), ...left(cache)] };
}

const inference = (file: string) => JSON.stringify(join(ROOT, 'core/inference', file));

describe('ONNX Runtime telemetry', () => {
  test('the runtime on its own keeps a device id and an event queue in the user cache (what the switch prevents)', () => {
    const run = runIsolated(
      'bare-runtime',
      `import ort from ${JSON.stringify(createRequire(import.meta.url).resolve('onnxruntime-node'))};
import { WARM_UP_MODEL } from ${inference('onnx-session.ts')};
const session = await ort.InferenceSession.create(WARM_UP_MODEL);
await session.release();`,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.left).toContain(join('Microsoft', 'DeveloperTools', '.onnxruntime', 'deviceid'));
    expect(run.left.some((path) => path.endsWith('onnxruntime.db'))).toBe(true);
  });

  test('a session opened through onnx-session.ts on the main thread leaves nothing behind', () => {
    const run = runIsolated(
      'main-thread',
      `import { warmUpOnnxRuntime } from ${inference('onnx-session.ts')};
await warmUpOnnxRuntime();
console.log(process.env.${ONNX_TELEMETRY_SWITCH});`,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('1');
    expect(run.left).toEqual([]);
  });

  test('a score thread started from the main thread loads the runtime with telemetry off, and scores', () => {
    const run = runIsolated(
      'score-thread',
      `import { readFileSync } from 'node:fs';
import { startScoreThread } from ${inference('worker-scorer.ts')};
import { MODEL_FEATURES } from ${JSON.stringify(join(ROOT, 'core/schema/columns.ts'))};
const thread = startScoreThread(MODEL_FEATURES.length);
const scorer = await thread.open(readFileSync(${JSON.stringify(join(ROOT, 'models/production/model.onnx'))}));
const scores = new Float64Array(1);
await scorer.scoreInto(new Float32Array(MODEL_FEATURES.length).fill(1), 1, scores);
console.log(scores[0] > 0 && scores[0] < 1 ? 'scored' : 'no score');
await scorer.release();
await thread.release();`,
    );
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('scored');
    expect(run.left).toEqual([]);
  });
});

describe('keepOnnxRuntimeOffline', () => {
  test('on the main thread it sets the switch, whatever it was', () => {
    for (const before of [undefined, '0', 'false', '1']) {
      const env: NodeJS.ProcessEnv = before === undefined ? {} : { [ONNX_TELEMETRY_SWITCH]: before };
      keepOnnxRuntimeOffline({ isMainThread: true, env });
      expect(env[ONNX_TELEMETRY_SWITCH]).toBe('1');
    }
  });

  test('on a worker it cannot set the process environment, so it refuses unless the thread came with the switch', () => {
    expect(() => keepOnnxRuntimeOffline({ isMainThread: false, env: {} })).toThrow(
      /worker thread was started before ORT_DISABLE_TELEMETRY=1 was set/,
    );
    expect(() => keepOnnxRuntimeOffline({ isMainThread: false, env: { [ONNX_TELEMETRY_SWITCH]: '0' } })).toThrow();
    expect(() => keepOnnxRuntimeOffline({ isMainThread: false, env: { [ONNX_TELEMETRY_SWITCH]: '1' } })).not.toThrow();
  });

  test('turnOffOnnxTelemetry leaves a worker copy of the environment alone', () => {
    const env: NodeJS.ProcessEnv = {};
    turnOffOnnxTelemetry({ isMainThread: false, env });
    expect(env).toEqual({});
  });
});
