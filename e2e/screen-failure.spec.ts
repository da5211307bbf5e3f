import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import { firstRun, SAMPLE_BATCH, screenshot } from './support/journey';

/**
 * An import that fails part-way for a reason outside the file (here a full disk, raised by the test-only fault
 * hook exactly as the OS raises it) shows the failure's own message: what failed, at which stage, and that nothing
 * was stored; never the generic "unexpected error".
 */
test.describe.configure({ mode: 'serial' });

let host: RunningHost;
let context: BrowserContext;
let page: Page;
const PREFIX = 'screen-failure';

test.beforeAll(async ({ browser }, testInfo) => {
  host = await startHostProcess({
    env: {
      NODE_ENV: 'test',
      GLUCOSCREEN_TEST_FAULTS: '1',
      GLUCOSCREEN_FAULT: 'after-score',
      GLUCOSCREEN_FAULT_KIND: 'disk-full',
    },
  });
  ({ context, page } = await openApp(browser, host, testInfo.project.use.viewport ?? null));
});

test.afterAll(async () => {
  await closeApp(context, host);
});

test('a full disk while importing: the import says what failed and that nothing was stored', async () => {
  await firstRun(page, PREFIX, false);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-file-input').setInputFiles(SAMPLE_BATCH);
  const alert = page.getByRole('alert').filter({ hasText: 'The import stopped part-way.' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(alert).toContainText(
    'sample_daily_batch.csv: reading and scoring failed: the disk is full (ENOSPC); nothing of this batch was stored',
  );
  await expect(alert).not.toContainText('unexpected error');
  await screenshot(page, PREFIX, '01-import-failed');
});
