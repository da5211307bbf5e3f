import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSyntheticBatch } from '../core/screening/synthetic-batch';
import { PIMA_PATH } from '../core/testing/pima';
import { writeTestBundle } from '../core/testing/test-bundle';
import { buildTestModelParts } from '../core/testing/test-model';
import { buildCli, CLI_DIST, CLI_ENTRIES, prestartBundleName } from './build-cli';

/** The bundled CLIs (dist/cli) as `npm run screen` runs them: same results as the sources, workers included. */
const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
let modelDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'build-cli-'));
  modelDir = join(dir, 'model');
  await Promise.all([writeTestBundle(modelDir), buildCli()]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(name: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, 'scripts/run-cli.cjs', name, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GLUCOSCREEN_CLI_TRACE: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function config(name: string): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      paths: {
        dbPath: join(dir, name, 'db.db'),
        outputDir: join(dir, name, 'out'),
        rejectedDir: join(dir, name, 'rej'),
        modelDir,
      },
      // Every worker thread on, whatever the file's size: their entries must be found beside the bundle.
      screening: { parseThread: true, storeThread: true, scoreThread: true },
    }),
  );
  return path;
}

describe('the bundled CLIs', () => {
  test('every CLI, worker and prestart entry is bundled, with the native modules left external', () => {
    const prestarts = Object.keys(CLI_ENTRIES.prestarts).map(prestartBundleName);
    expect(prestarts).toEqual(['screen-prestart']);
    for (const name of [...Object.keys(CLI_ENTRIES.clis), ...Object.keys(CLI_ENTRIES.workers), ...prestarts]) {
      expect(statSync(join(CLI_DIST, `${name}.js`)).size).toBeGreaterThan(0);
    }
    const all = readdirSync(CLI_DIST)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(CLI_DIST, f), 'utf8'))
      .join('\n');
    expect(all).toContain('require("better-sqlite3")');
    expect(all).toContain('require("onnxruntime-node")');
    // ASCII, so that run-cli.cjs takes each as a one-byte string without decoding it (scripts/code-cache.cjs).
    expect(Buffer.from(all, 'utf8').every((b) => b < 128)).toBe(true);
    // run-cli.cjs compiles the bundles through node:vm, where import() needs an experimental flag. (The one left
    // is text: the bootstrap a worker evaluates when it runs from the TypeScript sources.)
    expect(all.match(/\bimport\(/g)).toHaveLength(all.match(/`import\(\$\{JSON\.stringify\(api\)\}\)/g)?.length ?? 0);
    expect(all).not.toMatch(/class Database|InferenceSession\.create=/);
  });

  test('screen from the bundle, on its parse, score and store threads, writes what the sources write', async () => {
    const input = join(dir, 'batch_bundle.csv');
    writeSyntheticBatch(input, (await buildTestModelParts()).table, { rows: 3000, seed: 7 });
    const bundled = runCli('screen', ['--input', input, '--config', config('bundled')]);
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(bundled.stderr).toContain(`[cli] bundle ${join(CLI_DIST, 'screen.js')}`);
    const sources = runCli('screen', ['--input', input, '--config', config('sources')], { GLUCOSCREEN_CLI: 'tsx' });
    expect(sources.code, sources.stderr).toBe(0);
    expect(sources.stderr).toContain('[cli] tsx');
    // The scores and categories (the last column is the prediction time).
    const table = (name: string) =>
      readFileSync(join(dir, name, 'out/predictions_batch_bundle.csv'), 'utf8')
        .split('\n')
        .map((line) => line.split(',').slice(0, -1).join(','));
    expect(table('bundled')).toEqual(table('sources'));
    expect(table('bundled')).toHaveLength(3002);
    expect(runCli('audit-verify', ['--db', join(dir, 'bundled/db.db')]).code).toBe(0);
    // Re-scoring opens the model on this thread (ONNX Runtime imported from inside the cached bundle), and the
    // second start of the bundle reads its code cache.
    const verified = runCli('screen', ['--verify', '1', '--config', config('bundled')]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stderr).toContain(`[cli] bundle ${join(CLI_DIST, 'screen.js')} (code cache)`);
    expect(verified.stdout).toMatch(/identical/i);
  });

  test('screen --input scores on the thread the launcher started before compiling the bundle, and starts no other', () => {
    // A preload that records, in order, each worker thread started and when the bundle's own code first runs.
    const probe = join(dir, 'thread-probe.cjs');
    writeFileSync(
      probe,
      `const vm = require('node:vm'); const wt = require('node:worker_threads'); const path = require('node:path');
const events = [];
const run = vm.Script.prototype.runInThisContext;
vm.Script.prototype.runInThisContext = function (...a) { events.push('bundle'); return run.apply(this, a); };
const Base = wt.Worker;
wt.Worker = class extends Base { constructor(file, options) { super(file, options); const name = path.basename(String(file));
  events.push('start ' + name); this.once('exit', () => events.push('exit ' + name)); } };
process.on('exit', () => { if (wt.isMainThread) process.stderr.write('threads: ' + JSON.stringify(events) + '\\n'); });
`,
    );
    const threadsOf = (stderr: string): string[] => JSON.parse(/^threads: (.*)$/m.exec(stderr)?.[1] ?? 'null');
    const input = join(dir, 'batch_prestart.csv');
    writeFileSync(
      input,
      readFileSync(PIMA_PATH, 'utf8').replace(/^/gm, (_, offset) => (offset === 0 ? 'patient_id,' : `P${offset},`)),
    );
    const screened = runCli('screen', ['--input', input, '--config', config('prestart')], {}, ['-r', probe]);
    expect(screened.code, screened.stderr).toBe(0);
    expect(screened.stderr).toContain('[cli] prestart screen-prestart.js');
    const events = threadsOf(screened.stderr);
    expect(events.filter((e) => e === 'start score-worker.js')).toHaveLength(1);
    expect(events.indexOf('start score-worker.js')).toBeLessThan(events.indexOf('bundle'));
    expect(events).toContain('exit score-worker.js');
    expect(
      readFileSync(join(dir, 'prestart/out/predictions_batch_prestart.csv'), 'utf8').trim().split('\n'),
    ).toHaveLength(769);

    // Help needs no thread; a usage error found past the prestart releases the thread and exits at once.
    const help = runCli('screen', ['--input', input, '--help'], {}, ['-r', probe]);
    expect(help.code).toBe(0);
    expect(threadsOf(help.stderr)).toEqual(['bundle']);
    const misuse = runCli('screen', ['--input', input, '--watch', dir], {}, ['-r', probe]);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain('give exactly one of --input, --watch or --verify');
    expect(threadsOf(misuse.stderr)).toEqual(['start score-worker.js', 'bundle', 'exit score-worker.js']);

    // Without its prestart module the CLI starts the thread itself, after the bundle.
    const prestart = join(CLI_DIST, 'screen-prestart.js');
    renameSync(prestart, `${prestart}.away`);
    try {
      const alone = runCli('screen', ['--input', input, '--config', config('no-prestart')], {}, ['-r', probe]);
      expect(alone.code, alone.stderr).toBe(0);
      expect(alone.stderr).toContain('[cli] no prestart: Cannot find module');
      expect(threadsOf(alone.stderr).slice(0, 2)).toEqual(['bundle', 'start score-worker.js']);
    } finally {
      renameSync(`${prestart}.away`, prestart);
    }
  });

  test('a bundle older than a source it was built from is passed over for the sources', () => {
    const bundle = join(CLI_DIST, 'drift.js');
    const old = new Date(Date.now() - 86_400_000 * 365 * 20);
    utimesSync(bundle, old, old);
    try {
      const r = runCli('drift', ['--help']);
      expect(r.stderr).toContain(`[cli] tsx ${join(ROOT, 'core/cli/drift.ts')}`);
      expect(r.stdout).toMatch(/usage: npm run drift/);
    } finally {
      const now = new Date();
      utimesSync(bundle, now, now);
    }
  });

  test('train from the bundle tunes on its fold worker threads and gives the model the sources give', () => {
    const train = (name: string, env: Record<string, string> = {}) => {
      const models = join(dir, name);
      const home = join(dir, `${name}-home`);
      const args = ['--data', PIMA_PATH, '--trials', '2', '--workers', '2', '--distil-rows', '300', '--no-promote'];
      const r = runCli('train', [...args, '--models', models, '--db', join(dir, `${name}.db`)], {
        HOME: home,
        XDG_CONFIG_HOME: home,
        ...env,
      });
      expect(r.code, r.stderr).toBe(0);
      const [bundle] = readdirSync(join(models, 'experiments'));
      return { r, trees: readFileSync(join(models, 'experiments', bundle, 'trees.json'), 'utf8') };
    };
    const bundled = train('train-bundled');
    expect(bundled.r.stderr).toContain(`[cli] bundle ${join(CLI_DIST, 'train.js')}`);
    const sources = train('train-sources', { GLUCOSCREEN_CLI: 'tsx' });
    expect(sources.r.stderr).toContain('[cli] tsx');
    expect(bundled.trees).toBe(sources.trees);
  }, 600_000);
});
