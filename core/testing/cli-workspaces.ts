import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { writeTestBundle } from '../testing/test-bundle';

/**
 * For CLI tests: a temporary folder holding a test model bundle (made before the file's tests, removed after),
 * and workspaces in it, each with a config naming its database, output and rejected folders.
 */
export function cliWorkspaces(prefix: string, logLevel = 'debug') {
  const paths = { dir: '', modelDir: '' };
  beforeAll(async () => {
    paths.dir = mkdtempSync(join(tmpdir(), prefix));
    paths.modelDir = join(paths.dir, 'models/production');
    await writeTestBundle(paths.modelDir);
  });
  afterAll(() => rmSync(paths.dir, { recursive: true, force: true }));
  return {
    get dir() {
      return paths.dir;
    },
    workspace(name: string, extra: object = {}) {
      const ws = join(paths.dir, name);
      mkdirSync(ws, { recursive: true });
      const config = join(ws, 'config.json');
      writeFileSync(
        config,
        JSON.stringify({
          paths: {
            dbPath: 'db/glucoscreen.db',
            outputDir: 'out',
            rejectedDir: 'rejected',
            modelDir: paths.modelDir,
            // Each workspace keys its audit chain with its own key, never the user's.
            auditKeyFile: 'keys/audit.key',
          },
          retry: { attempts: 1, initialDelayMs: 10, stableWindowMs: 0 },
          logLevel,
          ...extra,
        }),
      );
      return {
        ws,
        config,
        db: join(ws, 'db/glucoscreen.db'),
        out: join(ws, 'out'),
        rejected: join(ws, 'rejected'),
        auditKeyFile: join(ws, 'keys/audit.key'),
      };
    },
  };
}
