import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { parseConfig, type RetryConfig } from '../config/app-config';
import type { ScreenFileOptions } from '../screening/screen-file';
import type { ScreeningModel } from '../screening/screening-model';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { buildTestModel } from './test-model';

/** For screenFile tests: the test model (built once per file), and a fresh folder and store for every test. */
export interface ScreenTestBed {
  model: ScreeningModel;
  dir: string;
  store: Store;
  /** One quick retry, no waiting for a stable file. */
  readonly retry: RetryConfig;
  /** screenFile's options for `inputPath` into this test's folder and store. */
  options(inputPath: string, extra?: Partial<ScreenFileOptions>): ScreenFileOptions;
}

export function screenTestBed(prefix: string): ScreenTestBed {
  const bed = {
    retry: parseConfig({ retry: { attempts: 1, initialDelayMs: 10, stableWindowMs: 0 } }).retry,
    options(inputPath: string, extra: Partial<ScreenFileOptions> = {}): ScreenFileOptions {
      return {
        inputPath,
        outputDir: join(bed.dir, 'out'),
        rejectedDir: join(bed.dir, 'rejected'),
        store: bed.store,
        model: bed.model,
        actor: 'tester',
        source: 'test',
        retry: bed.retry,
        ...extra,
      };
    },
  } as ScreenTestBed;
  beforeAll(async () => {
    bed.model = await buildTestModel();
  });
  afterAll(async () => {
    await bed.model?.scorer.release();
  });
  beforeEach(() => {
    bed.dir = mkdtempSync(join(tmpdir(), prefix));
    bed.store = openStore(join(bed.dir, 'db.sqlite'));
  });
  afterEach(() => {
    bed.store.close();
    rmSync(bed.dir, { recursive: true, force: true });
  });
  return bed;
}
