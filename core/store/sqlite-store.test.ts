import { beforeEach, describe, expect, test } from 'vitest';
import { execRawSql } from '../testing/store-fixtures';
import { storePerTest } from '../testing/temp-store';
import { MIGRATIONS } from './migrations';
import { openStore } from './sqlite-store';
import type { Store } from './store';

let store: Store;
let dbPath: string;
const temp = storePerTest(() => store);
beforeEach(() => {
  ({ store, dbPath } = temp());
});

describe('migrations', () => {
  test('a new database is at the latest version and reopening applies nothing twice', () => {
    expect(store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    store.close();
    store = openStore(dbPath);
    expect(store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
  });

  test('a database from a newer app is refused with a message naming both versions', () => {
    store.close();
    execRawSql(dbPath, "INSERT INTO schema_version VALUES (999, 'future', 'x')");
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
    expect(() => openStore(dbPath)).toThrow(`version 999, newer than this app supports (${latest})`);
    store = openStore(':memory:');
  });
});
