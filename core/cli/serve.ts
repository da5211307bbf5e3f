/**
 * npm run serve -- [--port 8765] [--config FILE] [--db FILE] [--model-dir DIR]
 *   runs the local scoring API on http://127.0.0.1:<port>/ until SIGINT or SIGTERM.
 * npm run serve -- --create-client NAME | --revoke-client NAME | --list-clients
 *   manages API clients on a workstation without the desktop app (the key is printed once).
 * Exit codes: 0 done, 2 error.
 */
import { createApiClient, revokeApiClient } from '../auth/api-keys';
import { EXIT_CODES, openCliContext, parseCliArgs, runCli } from './cli-context';
import { runMain } from './run-main';

const USAGE =
  'usage: npm run serve -- [--port N] [--config FILE] [--db FILE] [--model-dir DIR]\n' +
  '       npm run serve -- --create-client NAME | --revoke-client NAME | --list-clients';

export async function main(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  /** Resolves when the service should stop; default: SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>,
): Promise<number> {
  let close = () => {};
  return runCli(
    USAGE,
    async () => {
      const args = parseCliArgs(argv, {
        port: { type: 'string' },
        'create-client': { type: 'string' },
        'revoke-client': { type: 'string' },
        'list-clients': { type: 'boolean', default: false },
      });
      if (args.help) {
        out(USAGE);
        return EXIT_CODES.done;
      }
      // The database and outputs hold patient data: owner only.
      process.umask(0o077);
      const ctx = openCliContext(args, out);
      close = () => ctx.store.close();
      const actor = ctx.config.screening.actor;
      if (args['create-client'] !== undefined) {
        const { client, key } = createApiClient(ctx.store, args['create-client'], actor);
        out(`API client "${client.name}" created (key ${client.keyPrefix}). Its key, shown only now:`);
        out(key);
        return EXIT_CODES.done;
      }
      if (args['revoke-client'] !== undefined) {
        const client = revokeApiClient(ctx.store, args['revoke-client'], actor);
        out(`API client "${client.name}" revoked at ${client.revokedAt}`);
        return EXIT_CODES.done;
      }
      if (args['list-clients']) {
        for (const c of ctx.store.apiClients.list()) {
          const state = c.revokedAt ? `revoked ${c.revokedAt}` : `last used ${c.lastUsedAt ?? 'never'}`;
          out(`${c.name}\t${c.keyPrefix}\tcreated ${c.createdAt} by ${c.createdBy}\t${state}`);
        }
        return EXIT_CODES.done;
      }
      const port = args.port === undefined ? ctx.config.api.port : Number(args.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new Error(`--port: not a port number: ${args.port}`);
      const { startLocalScoringService } = await import('../host/local-scoring-service');
      const api = await startLocalScoringService({
        store: ctx.store,
        config: ctx.config,
        modelDir: ctx.config.paths.modelDir,
        port,
        actor,
      });
      out(`Glucoscreen scoring API on ${api.url} (model ${api.modelVersion}); Ctrl+C stops it`);
      await (stopSignal ??
        new Promise<void>((done) => {
          process.once('SIGINT', () => done());
          process.once('SIGTERM', () => done());
        }));
      await api.stop();
      out('stopped');
      return EXIT_CODES.done;
    },
    () => close(),
  );
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('core/cli/serve.ts')) {
  runMain('serve', () => main(process.argv.slice(2)));
}
