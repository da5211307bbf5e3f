import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PIMA_PATH } from '../../testing/pima';
import { buildElectronForTest } from '../test-support/electron-bundle';
import { locateRetrainTool, startRetrainTool, type ToolMessage } from './retrain-process';

let dir: string;
let electron: Awaited<ReturnType<typeof buildElectronForTest>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-retrain-tool-'));
  electron = await buildElectronForTest();
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  electron?.remove();
});

test('in a checkout the retraining tool is the CLI runner, which runs the retrain bundle or its sources', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const tool = locateRetrainTool();
  expect(tool).toEqual({
    kind: 'process',
    root,
    command: process.execPath,
    args: [resolve(root, 'scripts/run-cli.cjs'), 'retrain'],
  });
  if (tool?.kind !== 'process') throw new Error('not the checkout tool');
  const help = spawnSync(tool.command, [...tool.args, '--help'], { cwd: root, encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: npm run retrain/);
  expect(help.stdout).toContain('--search <warm-start|full>');
});

test('beside the Electron bundle the tool is retrain.cjs, run in a worker thread', () => {
  expect(locateRetrainTool(electron.dir)).toEqual({ kind: 'worker', script: join(electron.dir, 'retrain.cjs') });
});

test('the bundled tool in a worker reports its own exit code and error, not the core process', async () => {
  const messages: ToolMessage[] = [];
  const tool = locateRetrainTool(electron.dir);
  if (!tool) throw new Error('no bundled tool');
  const bad = startRetrainTool(tool, ['--trials', '0', '--progress', 'json'], (m) => messages.push(m));
  expect(await bad.exited).toBe(1);
  expect(bad.stderrTail()).toBe('retrain failed: --trials must be an integer >= 1, got "0"');
  expect(messages).toEqual([]);
  expect(process.exitCode ?? 0).toBe(0);
});

test('cancelling the bundled tool in a worker before it has started still ends it and its output', async () => {
  const tool = locateRetrainTool(electron.dir);
  if (!tool) throw new Error('no bundled tool');
  const running = startRetrainTool(tool, ['--db', join(dir, 'never.db'), '--dataset', 'f'.repeat(64)], () => {});
  running.cancel();
  await running.exited;
  expect(existsSync(join(dir, 'never.db'))).toBe(false);
});

test("the bundled tool's fold workers start inside its worker thread and the run writes its candidate", async () => {
  const tool = locateRetrainTool(electron.dir);
  if (!tool) throw new Error('no bundled tool');
  const messages: ToolMessage[] = [];
  const models = join(dir, 'models');
  const running = startRetrainTool(
    tool,
    [
      ...['--db', join(dir, 'nested.db'), '--models', models, '--data-dir', dir, '--original', PIMA_PATH],
      ...['--search', 'full', '--trials', '2', '--workers', '2', '--distil-rows', '300', '--progress', 'json'],
    ],
    (m) => messages.push(m),
  );
  expect(await running.exited).toBe(0);
  expect(messages.filter((m) => m.type === 'progress' && m.phase === 'tuning').length).toBeGreaterThan(0);
  const done = messages.find((m) => m.type === 'done');
  expect(existsSync(join(String(done?.bundleDir), 'metadata.json'))).toBe(true);
  expect(String(done?.bundleDir).startsWith(join(models, 'experiments'))).toBe(true);
}, 300_000);
