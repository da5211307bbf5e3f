/**
 * npm run audit:checkpoint -- [--config config.json] [--db path] [--out FILE] [--rotate-key]
 * Records a checkpoint event and prints the chain head as a signed checkpoint (also saved to --out, default
 * <db folder>/audit-checkpoints/checkpoint-<seq>.txt) for an admin to file or print elsewhere; later,
 * `npm run audit:verify -- --checkpoint FILE` proves nothing up to it was removed or rewritten.
 * --rotate-key first adds a new audit key to the key file; the rotation is recorded in the chain, linked with the
 * old key. Exit codes: 0 done, 2 error.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultAuditKeyPath, loadKeyFile, rotateKeyFile } from '../audit-key/keyring';
import { loadConfig } from '../config/app-config';
import { makeCheckpoint } from '../store/audit-checkpoint';
import { openStore } from '../store/sqlite-store';

const USAGE = 'usage: npm run audit:checkpoint -- [--config FILE] [--db FILE] [--out FILE] [--rotate-key]';

export function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        db: { type: 'string' },
        out: { type: 'string' },
        'rotate-key': { type: 'boolean' },
      },
      strict: true,
    });
    const config = loadConfig(values.config);
    const dbPath = values.db ? resolve(values.db) : config.paths.dbPath;
    if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}`);
    const keyFile = config.paths.auditKeyFile ?? defaultAuditKeyPath();
    let ring = loadKeyFile(keyFile);
    if (values['rotate-key']) ring = rotateKeyFile(keyFile).ring;
    const store = openStore(dbPath, { auditKeyring: ring });
    try {
      for (const e of store.audit.ensureKey(config.screening.actor))
        out(`recorded ${e.action} (seq ${e.seq}, key ${e.keyId})`);
      const { checkpoint, text } = makeCheckpoint(store.audit, config.screening.actor, new Date().toISOString());
      const path = values.out
        ? resolve(values.out)
        : join(dirname(dbPath), 'audit-checkpoints', `checkpoint-${checkpoint.seq}.txt`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text, { flag: 'wx' });
      out(text.trimEnd());
      out(`saved to ${path}: keep a copy away from this machine (or print it)`);
      return 0;
    } finally {
      store.close();
    }
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
}

if (process.argv[1]?.endsWith('core/cli/audit-checkpoint.ts') || import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = main(process.argv.slice(2));
}
