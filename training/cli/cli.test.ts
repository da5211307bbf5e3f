import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PIMA_PATH } from '../../core/testing/pima';
import { REPO_ROOT } from '../data-prep/data-manifest';

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsx(script: string, args: string[]) {
  return spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
}

/** train.ts with 3 trials in this thread, recording and promoting nothing, into `models`. */
function quickTrain(args: string[], models: string) {
  return tsx('training/cli/train.ts', [
    ...args,
    '--trials',
    '3',
    '--workers',
    '0',
    '--no-record',
    '--no-promote',
    '--models',
    models,
  ]);
}

describe('training CLIs', () => {
  test('train refuses data whose sha256 differs from the manifest unless told to accept it', () => {
    const changed = join(dir, 'changed.csv');
    const text = readFileSync(PIMA_PATH, 'utf8');
    writeFileSync(changed, text.replace('6,148,72,35,0,33.6,0.627,50,1', '6,149,72,35,0,33.6,0.627,50,1'));
    const refused = tsx('training/cli/train.ts', ['--data', changed, '--no-record', '--models', join(dir, 'models')]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/expects b7802944.*Refusing to train on changed data/s);

    const accepted = quickTrain(['--data', changed, '--accept-data-hash'], join(dir, 'models'));
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toMatch(/model v1\.0\.0/);
    const bundle = accepted.stdout.match(/bundle (\S+)/)?.[1] as string;
    const metadata = JSON.parse(readFileSync(join(bundle, 'metadata.json'), 'utf8'));
    const sha = execFileSync('sha256sum', [changed], { encoding: 'utf8' }).split(' ')[0];
    expect(metadata.data_sha256).toBe(sha);
    expect(metadata.data_hash_accepted).toBe(true);
  });

  test('data:pull refuses a remote whose hash differs and copies nothing', () => {
    const bad = join(dir, 'remote.csv');
    writeFileSync(bad, `${readFileSync(PIMA_PATH, 'utf8')}1,1,1,1,1,1,1,30,0\n`);
    const result = tsx('training/cli/data-pull.ts', ['--remote', bad]);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/the manifest expects b7802944/);
  });

  test('an external split file is used as given and recorded', () => {
    const labels = readFileSync(PIMA_PATH, 'utf8').trim().split('\n').slice(1);
    const rows = labels.map((_, i) => i);
    const split = {
      train: rows.filter((i) => i % 5 >= 2),
      val: rows.filter((i) => i % 5 === 1),
      test: rows.filter((i) => i % 5 === 0),
    };
    const file = join(dir, 'split.json');
    writeFileSync(file, JSON.stringify(split));
    const result = quickTrain(['--data', PIMA_PATH, '--split', file], join(dir, 'models-split'));
    expect(result.status).toBe(0);
    const bundle = result.stdout.match(/bundle (\S+)/)?.[1] as string;
    const metadata = JSON.parse(readFileSync(join(bundle, 'metadata.json'), 'utf8'));
    expect(metadata.split).toMatchObject({
      kind: 'external',
      trainRows: split.train.length,
      testRows: split.test.length,
    });
    expect(metadata.test_metrics.rows).toBe(split.test.length);
    // The CBPE reference comes from the validation part at the operating threshold; importance from the training part.
    expect(metadata.cbpe_reference).toMatchObject({ referenceRows: split.val.length, beta: 2 });
    expect(metadata.cbpe_reference.threshold).toBe(metadata.optimal_threshold);
    expect(metadata.cbpe_reference_source).toMatch(/validation part/);
    expect(metadata.global_importance).toMatchObject({ data: 'training part', rows: split.train.length });
    expect(metadata.global_importance.model).toHaveLength(11);
    expect(metadata.global_importance.clinical).toHaveLength(8);
  });
});
