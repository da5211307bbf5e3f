/**
 * npm run backup -- [--config FILE] [--db FILE] --to DIR [--keep N]
 *   An online backup of the database and its audit trail into DIR (0700; files 0600), keeping the newest N
 *   (config backup.keep). Safe while the app or a screen run uses the database.
 * npm run backup -- [--config FILE] [--db FILE] --restore FILE [--to DIR]
 *   Replaces the database with a backup once the backup's audit chain verifies with this installation's key; the
 *   replaced database is kept in DIR (default: the backups folder beside the database) as pre-restore-<time>.db.
 *   Refused while the database has a write-ahead log beside it: a process (the app, screen --watch) has it open, and
 *   would keep writing the replaced file. After a crash, `npm run audit:verify` opens and closes it cleanly.
 * Exit codes: 0 done, 1 restore refused (the backup does not verify), 2 error.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { adoptAuditKeyFile } from '../audit-key/keyring';
import { createBackup, RestoreRefused, restoreBackup } from '../backup/database-backup';
import { loadConfig } from '../config/app-config';
import { defaultAuditTrailPath } from '../store/sqlite-store';
import { CliUsageError, EXIT_CODES, openCliContext, parseCliArgs, runCli } from './cli-context';
import { runMain } from './run-main';

const USAGE =
  'usage: npm run backup -- [--config FILE] [--db FILE] --to DIR [--keep N]\n' +
  '       npm run backup -- [--config FILE] [--db FILE] --restore FILE [--to DIR]';

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  let close = () => {};
  return runCli(
    USAGE,
    async () => {
      const args = parseCliArgs(argv, {
        to: { type: 'string' },
        keep: { type: 'string' },
        restore: { type: 'string' },
      });
      if (args.help) {
        out(USAGE);
        return EXIT_CODES.done;
      }
      if (args.restore) {
        const config = loadConfig(args.config);
        const dbPath = args.db ? resolve(args.db) : config.paths.dbPath;
        const trailPath = defaultAuditTrailPath(dbPath);
        if (!trailPath) throw new CliUsageError('--restore needs a database file');
        if (existsSync(`${dbPath}-wal`)) {
          throw new Error(
            `${dbPath} is open in another process (its write-ahead log ${dbPath}-wal exists): stop the app and any ` +
              'screen --watch first; after a crash, npm run audit:verify closes it cleanly',
          );
        }
        const keyring = adoptAuditKeyFile(config.paths.auditKeyFile);
        try {
          const result = await restoreBackup({
            dbPath,
            trailPath,
            backupFile: resolve(args.restore),
            backupDir: args.to ? resolve(args.to) : join(dirname(dbPath), 'backups'),
            actor: config.screening.actor,
            now: new Date(),
            keyring,
          });
          out(`restored ${dbPath} from ${result.restoredFrom} (its chain head: event ${result.backupHead?.seq ?? 0})`);
          if (result.preRestoreCopy) out(`the replaced database is kept as ${result.preRestoreCopy}`);
          return EXIT_CODES.done;
        } catch (error) {
          if (!(error instanceof RestoreRefused)) throw error;
          out(`refused: ${error.message}`);
          return EXIT_CODES.flagged;
        }
      }
      if (!args.to) throw new CliUsageError('--to DIR or --restore FILE is required');
      const ctx = openCliContext(args, out);
      close = () => ctx.store.close();
      const keep = args.keep === undefined ? ctx.config.backup.keep : Number(args.keep);
      if (!Number.isInteger(keep) || keep < 1)
        throw new CliUsageError(`--keep must be a whole number of at least 1, not "${args.keep}"`);
      const result = await createBackup({
        store: ctx.store,
        dir: resolve(args.to),
        keep,
        actor: ctx.config.screening.actor,
        now: new Date(),
      });
      out(`backed up ${ctx.config.paths.dbPath} to ${result.file}`);
      out(
        `${result.kept.length} backup(s) kept${result.removed.length ? `, ${result.removed.length} older removed` : ''}`,
      );
      return EXIT_CODES.done;
    },
    () => close(),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runMain('backup', () => main(process.argv.slice(2)));
