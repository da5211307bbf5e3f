import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';

export interface TempStore {
  dir: string;
  dbPath: string;
  store: Store;
}

/**
 * Gives every test of the calling file a store on a new database in its own temporary folder, removed after the test.
 * Call at the top level of a test file; the returned function reads the current test's store. `held` names the store
 * the test holds at its end (a test may close the store and open another): that one is closed.
 */
export function storePerTest(held: () => Store | undefined, prefix = 'store-test-'): () => TempStore {
  let current: TempStore | null = null;
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const dbPath = join(dir, 'glucoscreen.db');
    current = { dir, dbPath, store: openStore(dbPath) };
  });
  afterEach(() => {
    if (!current) return;
    held()?.close();
    rmSync(current.dir, { recursive: true, force: true });
    current = null;
  });
  return () => {
    if (!current) throw new Error('storePerTest: no test is running');
    return current;
  };
}
