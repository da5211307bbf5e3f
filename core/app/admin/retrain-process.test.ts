import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { locateRetrainTool } from './retrain-process';

test('in a checkout the retraining tool is the CLI runner, which runs the retrain bundle or its sources', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const tool = locateRetrainTool();
  expect(tool).toEqual({ root, command: process.execPath, args: [resolve(root, 'scripts/run-cli.mjs'), 'retrain'] });
  const help = spawnSync(tool?.command ?? '', [...(tool?.args ?? []), '--help'], { cwd: root, encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: npm run retrain/);
  expect(help.stdout).toContain('--search <warm-start|full>');
});
