/**
 * `npm run e2e:host`: the product's HTTP host on a fresh temp data folder, with the test app and the built renderer.
 * The spec runner (host-process.ts) starts it in its own process and reads its address line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp } from '../../core/app/test-support/test-app';
import { adoptAuditKeyFile } from '../../core/audit-key/keyring';
import { parseConfig } from '../../core/config/app-config';
import { startHttpHost } from '../../core/host/http-host';

const dataDir = process.env.GLUCOSCREEN_TEST_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'glucoscreen-e2e-'));
// The host links its audit events with a 0600 key file outside the data folder, as a cron server's CLIs do, so that a
// chain mixing the app's and the CLIs' events verifies end to end. A spec that runs CLIs on the same database names
// the file (GLUCOSCREEN_TEST_AUDIT_KEY_FILE) and hands it to them. Otherwise the key lives beside a data folder the
// spec keeps across restarts (as an installation's key outlives the app), and is the host's own for a throwaway one.
const givenKeyFile = process.env.GLUCOSCREEN_TEST_AUDIT_KEY_FILE;
const ownKeyDir = givenKeyFile
  ? null
  : process.env.GLUCOSCREEN_TEST_DATA_DIR
    ? `${process.env.GLUCOSCREEN_TEST_DATA_DIR.replace(/[\\/]+$/, '')}-keys`
    : mkdtempSync(join(tmpdir(), 'glucoscreen-e2e-keys-'));
adoptAuditKeyFile(givenKeyFile ?? join(ownKeyDir as string, 'audit.key'));
const testConfig = process.env.GLUCOSCREEN_TEST_CONFIG;
// Specs that retrain ask for small settings (space-separated tool arguments) so a run takes seconds.
const retrainToolArgs = process.env.GLUCOSCREEN_TEST_RETRAIN_ARGS?.split(' ').filter(Boolean);
const app = await createTestApp(dataDir, {
  config: testConfig ? parseConfig(JSON.parse(testConfig), 'GLUCOSCREEN_TEST_CONFIG') : undefined,
  retrainToolArgs,
});
// The clinic's next visit "a week later": the same data folder, the app's clock that many days ahead.
app.advanceClock(Number(process.env.GLUCOSCREEN_TEST_CLOCK_OFFSET_DAYS ?? 0) * 86_400_000);
const host = await startHttpHost({ app });
// The spec runner reads this line; the token is per run and dies with the process.
console.log(
  `GLUCOSCREEN_TEST_HOST ${JSON.stringify({ url: host.url, openUrl: host.openUrl, token: host.token, dataDir, modelSource: app.modelSource })}`,
);
const stop = async () => {
  await host.close();
  app.close();
  if (!process.env.GLUCOSCREEN_TEST_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  if (ownKeyDir && !process.env.GLUCOSCREEN_TEST_DATA_DIR) rmSync(ownKeyDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
