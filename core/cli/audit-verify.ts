/**
 * npm run audit:verify -- [--config config.json] [--db path] [--checkpoint FILE]
 * Walks the keyed audit chain (and the JSONL trail beside the database), checks a checkpoint's head is still in it,
 * and cross-checks the tables against the digests the events recorded; names every problem and where.
 * Exit codes: 0 intact, 1 problems found, 2 error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditKeyError, defaultAuditKeyPath, loadKeyFile } from '../audit-key/keyring';
import { loadConfig } from '../config/app-config';
import { verifyAuditIntegrity } from '../store/audit-integrity';
import { openStore } from '../store/sqlite-store';

const USAGE = 'usage: npm run audit:verify -- [--config FILE] [--db FILE] [--checkpoint FILE]';

export function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  let dbPath: string;
  let keyFile: string;
  let checkpointText: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, db: { type: 'string' }, checkpoint: { type: 'string' } },
      strict: true,
    });
    const config = loadConfig(values.config);
    dbPath = values.db ? resolve(values.db) : config.paths.dbPath;
    keyFile = config.paths.auditKeyFile ?? defaultAuditKeyPath();
    if (values.checkpoint) checkpointText = readFileSync(values.checkpoint, 'utf8');
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!existsSync(dbPath)) {
    process.stderr.write(`no database at ${dbPath}\n`);
    return 2;
  }
  let ring = null;
  try {
    // Verifying never creates a key: a missing key file means keyed links cannot be checked, said below.
    ring = existsSync(keyFile) ? loadKeyFile(keyFile, { create: false }) : null;
  } catch (error) {
    if (!(error instanceof AuditKeyError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const store = openStore(dbPath, { auditKeyring: ring });
  try {
    const result = verifyAuditIntegrity(store, { checkpointText });
    for (const note of result.notes) out(`note: ${note}`);
    if (result.ok) {
      out(
        `audit chain intact: ${result.checked} events checked${store.audit.trailPath ? ` against ${store.audit.trailPath}` : ''}${
          checkpointText === undefined ? '' : ', checkpoint head present and unchanged'
        }`,
      );
      return 0;
    }
    out(`audit chain BROKEN: ${result.problems.length} problem(s) in ${result.checked} events`);
    for (const p of result.problems) out(`  seq ${p.seq} [${p.kind}] ${p.message}`);
    return 1;
  } finally {
    store.close();
  }
}

if (process.argv[1]?.endsWith('core/cli/audit-verify.ts') || import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = main(process.argv.slice(2));
}
