import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { defaultConfig } from '../../config/app-config';
import { EDA_SNAPSHOT_FILE, edaSnapshot } from '../../eda/eda-snapshot';
import { sha256Hex } from '../../registry/bundle';
import { loadPimaTable } from '../../testing/pima';
import type { AppContext } from '../app-context';
import type { CallContext } from '../dispatch';
import { TRAINING_DATA_MISSING } from './admin-deps';
import { edaHandlers } from './eda-handlers';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'eda-snapshot-'));
  mkdirSync(join(root, 'production'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The EDA handler of an installation without the training CSV (only what the handler reads is wired). */
function trainingEda() {
  const app = {
    admin: { modelsRoot: root, trainingDataPath: null, config: defaultConfig(), onModelChanged: () => {} },
  } as unknown as AppContext;
  return edaHandlers(app).edaReport({ source: 'training' }, {} as CallContext);
}

async function installSnapshot(recordedSha?: string) {
  const snapshot = edaSnapshot(await loadPimaTable(), 'e'.repeat(64));
  const bytes = Buffer.from(`${JSON.stringify(snapshot)}\n`);
  writeFileSync(join(root, 'production', EDA_SNAPSHOT_FILE), bytes);
  const metadata = {
    version: 'v2.1.0',
    eda_snapshot: { file: EDA_SNAPSHOT_FILE, sha256: recordedSha ?? sha256Hex(bytes) },
  };
  writeFileSync(join(root, 'production', 'metadata.json'), JSON.stringify(metadata));
  return snapshot;
}

describe('the training EDA where the training CSV is not installed', () => {
  test('comes from the production model’s verified snapshot', async () => {
    const snapshot = await installSnapshot();
    const result = await trainingEda();
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.source).toBe('training');
    expect(result.value.name).toBe('training data of model v2.1.0 (statistics stored with the model)');
    expect(result.value.report).toEqual(snapshot.report);
    expect(result.value.report.rowCount).toBe(768);
  });

  test('a snapshot that does not match its recorded sha256 is refused, and none at all says the data is missing', async () => {
    await installSnapshot('0'.repeat(64));
    const tampered = await trainingEda();
    expect(tampered.ok ? null : tampered.error).toMatchObject({ code: 'conflict' });
    expect(tampered.ok ? '' : tampered.error.message).toContain('does not match the sha256 in its metadata.json');

    rmSync(join(root, 'production', EDA_SNAPSHOT_FILE));
    const missing = await trainingEda();
    expect(missing.ok ? null : missing.error).toEqual({ code: 'not-found', message: TRAINING_DATA_MISSING });
  });
});
