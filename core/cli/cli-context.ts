import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { adoptAuditKeyFile } from '../audit-key/keyring';
import { type AppConfig, loadConfig } from '../config/app-config';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { type CliLog, createCliLog } from './cli-log';

export const EXIT_CODES = { done: 0, flagged: 1, error: 2 } as const;

/** Options every monitoring command takes, besides its own. */
const COMMON_OPTIONS = {
  config: { type: 'string' },
  db: { type: 'string' },
  'model-dir': { type: 'string' },
  json: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

export class CliUsageError extends Error {}

export interface CliContext {
  config: AppConfig;
  log: CliLog;
  store: Store;
  out: (line: string) => void;
}

export function parseCliArgs<T extends OptionSpec>(argv: string[], own: T) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...own }, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** As parseCliArgs, for a command with sub-commands and operands (`models promote v1.4.0`). */
export function parseCliCommand<T extends OptionSpec>(argv: string[], own: T) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...own }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** Loads the config (errors name the key), applies --db / --model-dir, opens the store. */
export function openCliContext(
  args: { config?: string; db?: string; 'model-dir'?: string },
  out: (line: string) => void,
): CliContext {
  const config = loadConfig(args.config);
  if (args.db) config.paths.dbPath = resolve(args.db);
  if (args['model-dir']) config.paths.modelDir = resolve(args['model-dir']);
  const log = createCliLog(config.logLevel);
  mkdirSync(dirname(config.paths.dbPath), { recursive: true });
  adoptAuditKeyFile(config.paths.auditKeyFile);
  return { config, log, store: openStore(config.paths.dbPath), out };
}

/** Runs a command's body with uniform error handling: usage and config errors exit 2 with their message. */
export async function runCli(
  usage: string,
  body: () => Promise<number>,
  onExit: () => void = () => {},
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    if (error instanceof CliUsageError) process.stderr.write(`${usage}\n`);
    return EXIT_CODES.error;
  } finally {
    onExit();
  }
}
