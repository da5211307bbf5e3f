import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { writeSyntheticBatch } from '../core/screening/synthetic-batch';
import { loadPimaTable } from '../core/testing/pima';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import { ADMIN, screenshot } from './support/journey';

/**
 * 100 000 patients: the import streams progress and the virtualised worklist reaches the last row. Timings are
 * printed for information, not asserted (speed is shown by benchmarks).
 */
const ROWS = 100_000;
let host: RunningHost;
let context: BrowserContext;
let page: Page;
let scratch: string;
let batchPath: string;

test.beforeAll(async ({ browser }) => {
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-large-'));
  batchPath = join(scratch, 'batch_100k.csv');
  const pima = await loadPimaTable();
  writeSyntheticBatch(batchPath, pima, { rows: ROWS, seed: 7 });
  host = await startHostProcess();
  ({ context, page } = await openApp(browser, host));
});

test.afterAll(async () => {
  await closeApp(context, host, scratch);
});

test('a 100 000-row batch imports with progress and the worklist scrolls to its last row', async () => {
  test.setTimeout(240_000);
  await page.getByLabel('Administrator username').fill(ADMIN.username);
  await page.getByLabel('Password (at least 10 characters)').fill(ADMIN.password);
  await page.getByLabel('Repeat the password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  const started = Date.now();
  await page.getByTestId('import-file-input').setInputFiles(batchPath);
  await expect(page.getByLabel('Import progress')).toBeVisible();
  await expect(page.getByRole('heading', { name: `Imported ${ROWS} patients from batch_100k.csv` })).toBeVisible({
    timeout: 180_000,
  });
  console.log(`100k import, file picked to summary shown: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  await page.getByRole('button', { name: 'Open worklist' }).click();
  await expect(page.getByTestId('worklist-count')).toContainText(`${ROWS} patients`);
  // Only a window of rows is in the DOM, whatever the batch size.
  expect(await page.getByTestId('worklist-row').count()).toBeLessThan(100);
  const t0 = Date.now();
  await page.locator('.worklist-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(page.locator(`[aria-rowindex="${ROWS + 1}"]`)).toBeVisible();
  console.log(`scroll to row ${ROWS}: ${Date.now() - t0} ms until rendered`);
  await expect(page.locator(`[aria-rowindex="${ROWS + 1}"]`)).toContainText('Low');
  await screenshot(page, 'browser', '11-worklist-100k-end');

  // Keyboard from the end: Home jumps back to the highest risk.
  await page.getByRole('grid', { name: 'Patients' }).focus();
  await page.keyboard.press('Home');
  await expect(page.locator('[aria-rowindex="2"]')).toContainText('High');
});
