/**
 * Tests only: one process that links audit events into a database with a key file, as a CLI on a cron server does
 * (`node --import tsx core/testing/audit-writer-process.ts <db> <key file> <actor> <count>`).
 */
import { adoptAuditKeyFile } from '../audit-key/keyring';
import { openStore } from '../store/sqlite-store';

const [dbPath, keyFile, actor, count] = process.argv.slice(2);
adoptAuditKeyFile(keyFile);
const store = openStore(dbPath);
try {
  for (let i = 0; i < Number(count); i++) store.audit.append({ actor, action: 'test.event', subject: `${actor}-${i}` });
} finally {
  store.close();
}
