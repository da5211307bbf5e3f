import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeTestBundle } from '../testing/test-bundle';
import { BundleError, loadBundle } from './bundle';

let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  await writeTestBundle(dir, 'v1.0.0');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Edits a JSON file of the bundle and records its new sha256, as a bad export (not tampering) would leave it. */
// biome-ignore lint/suspicious/noExplicitAny: the edits reach anywhere into the file's JSON
function rewrite(file: string, edit: (doc: any) => void) {
  const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  edit(doc);
  const text = JSON.stringify(doc);
  writeFileSync(join(dir, file), text);
  const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
  meta.files[file] = createHash('sha256').update(text).digest('hex');
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(meta));
}

async function refusal(): Promise<BundleError> {
  const error = await loadBundle(dir).catch((e) => e);
  expect(error).toBeInstanceOf(BundleError);
  expect(error.code).toBe('invalid');
  return error;
}

describe('loadBundle: the trees and the reference sample, checked value by value', () => {
  test('the test bundle loads, with every tree and reference column as written', async () => {
    const bundle = await loadBundle(dir);
    const trees = JSON.parse(readFileSync(join(dir, 'trees.json'), 'utf8'));
    expect(bundle.ensemble).toEqual(trees);
    expect(bundle.reference.rowCount).toBe(768);
  });

  test('a leaf value that is not a number is refused, naming the file, the tree, the array and the item', async () => {
    rewrite('trees.json', (t) => {
      t.trees[3].leafValue[2] = 'x';
    });
    expect((await refusal()).message).toBe(
      'model bundle trees.json: trees.3.leafValue: item 2 ("x") is not one of finite numbers',
    );
  });

  test('a split on a feature the model does not have, a non-integer child or a non-boolean side is refused', async () => {
    rewrite('trees.json', (t) => {
      t.trees[0].splitFeature[1] = 11;
    });
    expect((await refusal()).message).toMatch(/trees\.0\.splitFeature: item 1 \(11\) is not one of feature indices/);
    await writeTestBundle(dir, 'v1.0.0');
    rewrite('trees.json', (t) => {
      t.trees[1].leftChild[0] = 0.5;
    });
    expect((await refusal()).message).toMatch(/trees\.1\.leftChild: item 0 \(0\.5\) is not one of integers/);
    await writeTestBundle(dir, 'v1.0.0');
    rewrite('trees.json', (t) => {
      t.trees[2].defaultLeft[0] = 1;
    });
    expect((await refusal()).message).toMatch(/trees\.2\.defaultLeft: item 0 \(1\) is not one of booleans/);
  });

  test('a tree whose arrays disagree in length is refused', async () => {
    rewrite('trees.json', (t) => {
      t.trees[0].leafValue.pop();
    });
    expect((await refusal()).message).toMatch(/tree arrays have inconsistent lengths/);
  });

  test('a reference column that is not an array of finite numbers, or is short, is refused', async () => {
    rewrite('reference.json', (r) => {
      r.columns.Glucose[5] = null;
    });
    expect((await refusal()).message).toBe(
      'model bundle reference.json: columns.Glucose: item 5 (null) is not one of finite numbers',
    );
    await writeTestBundle(dir, 'v1.0.0');
    rewrite('reference.json', (r) => {
      r.columns.BMI = 'none';
    });
    expect((await refusal()).message).toBe(
      'model bundle reference.json: columns.BMI: must be an array of finite numbers',
    );
    await writeTestBundle(dir, 'v1.0.0');
    rewrite('reference.json', (r) => {
      r.columns.Age.pop();
    });
    expect((await refusal()).message).toMatch(/every column must have rowCount values/);
  });
});

describe('loadBundle: files read at once, problems named in a fixed order', () => {
  test('with several files missing, the first in the bundle order is named, metadata.json first of all', async () => {
    rmSync(join(dir, 'reference.json'));
    rmSync(join(dir, 'trees.json'));
    await expect(loadBundle(dir)).rejects.toMatchObject({ code: 'missing', file: 'trees.json' });
    rmSync(join(dir, 'metadata.json'));
    await expect(loadBundle(dir)).rejects.toMatchObject({ code: 'missing', file: 'metadata.json' });
  });
});
