import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeTestBundle } from '../app/test-support/test-app';
import { listInstalledVersions } from './installed-versions';

let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'glucoscreen-installed-'));
  await writeTestBundle(join(root, 'production'), { version: 'v1.0.0' });
  await writeTestBundle(join(root, 'experiments/model_20260101_000000'), { version: 'v1.1.0', threshold: 0.3 });
  await writeTestBundle(join(root, 'experiments/model_20260102_000000'), { version: 'v1.2.0' });
  mkdirSync(join(root, 'experiments/model_20260103_000000'), { recursive: true });
  writeFileSync(join(root, 'experiments/model_20260103_000000/metadata.json'), '{"version": "not a version"}');
  // A folder without metadata.json (an interrupted run) is not a version.
  mkdirSync(join(root, 'experiments/model_20260104_000000'), { recursive: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

test('lists production, then experiments newest first, each with its metadata and model card', () => {
  const versions = listInstalledVersions(root);
  expect(versions.map((v) => [v.id, v.location, v.metadata?.version ?? null])).toEqual([
    ['production', 'production', 'v1.0.0'],
    ['experiments/model_20260103_000000', 'experiment', null],
    ['experiments/model_20260102_000000', 'experiment', 'v1.2.0'],
    ['experiments/model_20260101_000000', 'experiment', 'v1.1.0'],
  ]);
  expect(versions[3].metadata?.optimal_threshold).toBe(0.3);
  expect(versions[0].modelCard).toContain('v1.0.0');
});

test('an unreadable metadata.json is listed with the reason instead of being skipped', () => {
  const broken = listInstalledVersions(root).find((v) => v.id === 'experiments/model_20260103_000000');
  expect(broken?.metadata).toBeNull();
  expect(broken?.problem).toMatch(/^metadata.json is invalid: /);
});

test('an empty or missing models root lists nothing', () => {
  expect(listInstalledVersions(join(root, 'does-not-exist'))).toEqual([]);
});
