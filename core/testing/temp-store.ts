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

/**
 * storePerTest for a test file that holds one store at a time: `t.store` is the current test's store (a test that
 * reopens the database assigns the new one to it, and that one is closed after the test), `t.dbPath` its database.
 */
export function storeHolderPerTest(prefix?: string): { store: Store; readonly dbPath: string } {
  let store: Store | undefined;
  const temp = storePerTest(() => store, prefix);
  beforeEach(() => {
    store = temp().store;
  });
  return {
    get store(): Store {
      if (!store) throw new Error('storeHolderPerTest: no test is running');
      return store;
    },
    set store(next: Store) {
      store = next;
    },
    get dbPath(): string {
      return temp().dbPath;
    },
  };
}
