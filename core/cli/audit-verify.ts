/**
 * npm run audit:verify -- [--config config.json] [--db path]
 * Walks the audit hash chain (and the JSONL trail beside the database) and names every edited, inserted or
 * deleted event. Exit codes: 0 intact, 1 problems found, 2 error.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/app-config';
import { openStore } from '../store/sqlite-store';

export function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  let dbPath: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, db: { type: 'string' } },
      strict: true,
    });
    dbPath = values.db ? resolve(values.db) : loadConfig(values.config).paths.dbPath;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: npm run audit:verify -- [--config FILE] [--db FILE]\n`);
    return 2;
  }
  if (!existsSync(dbPath)) {
    process.stderr.write(`no database at ${dbPath}\n`);
    return 2;
  }
  const store = openStore(dbPath);
  try {
    const result = store.audit.verify();
    if (result.ok) {
      out(
        `audit chain intact: ${result.checked} events checked${store.audit.trailPath ? ` against ${store.audit.trailPath}` : ''}`,
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
