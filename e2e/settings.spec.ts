import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { writeSyntheticBatch } from '../core/screening/synthetic-batch';
import { loadPimaTable } from '../core/testing/pima';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import { ADMIN, callFromPage, expectAccessible, screenshot } from './support/journey';

/** An admin changes the risk cuts in Settings: a wrong value is refused in place, the saved one applies to the next import and is in the audit log. */
test.describe.configure({ mode: 'serial' });

const PREFIX = 'settings';
let host: RunningHost;
let context: BrowserContext;
let page: Page;
let scratch: string;
let batchPath: string;

function nav(name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

test.beforeAll(async ({ browser }) => {
  host = await startHostProcess();
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-settings-e2e-'));
  batchPath = join(scratch, 'after_settings.csv');
  writeSyntheticBatch(batchPath, await loadPimaTable(), { rows: 120, seed: 41, idPrefix: 'T' });
  ({ context, page } = await openApp(browser, host));
});

test.afterAll(async () => {
  await closeApp(context, host, scratch);
});

test('a wrong cut is refused beside its field; the saved cuts show what changed', async () => {
  await page.getByLabel('Administrator username').fill(ADMIN.username);
  await page.getByLabel('Password (at least 10 characters)').fill(ADMIN.password);
  await page.getByLabel('Repeat the password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await nav('Settings').click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.getByLabel('Medium from (score)').fill('0.1');
  await page.getByLabel('High from (score)').fill('1.5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('#setting-risk-cuts-high-problem')).toContainText('1');
  await expect(page.getByRole('alert').first()).toContainText('risk.cuts.high');
  await page.getByLabel('High from (score)').fill('0.2');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const saved = page.getByRole('status', { name: 'Saved changes' });
  await expect(saved).toContainText('Saved as version 2');
  await expect(saved).toContainText('risk.cuts');
  await expect(page.locator('#setting-risk-cuts-high-problem')).toHaveCount(0);
  await expectAccessible(page, 'settings');
  await screenshot(page, PREFIX, '01-saved');
});

test('the next import is categorised by the new cuts, and the change is in the audit log', async () => {
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(batchPath);
  await expect(page.getByRole('heading', { name: 'Imported 120 patients from after_settings.csv' })).toBeVisible({
    timeout: 60_000,
  });
  const batches = (await callFromPage(page, 'listBatches', {})) as unknown as { value: { batchId: string }[] };
  const batchId = batches.value[0].batchId;
  const worklist = (await callFromPage(page, 'worklistPage', { batchId, offset: 0, limit: 1000 })) as unknown as {
    value: { rows: { score: number; category: string }[] };
  };
  expect(worklist.value.rows.length).toBe(120);
  for (const row of worklist.value.rows) expect(row.category === 'High').toBe(row.score >= 0.2);
  await nav('Audit log').click();
  const events = page.getByRole('table', { name: 'Audit events' });
  await expect(events).toContainText('settings.updated');
  await screenshot(page, PREFIX, '02-audit');
});

test('back up, import again, restore the backup: the app runs on it at once and the audit log shows it', async () => {
  await nav('Settings').click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('status', { name: 'Backup result' })).toContainText('Backed up as glucoscreen-');
  const again = join(scratch, 'after_backup.csv');
  writeSyntheticBatch(again, await loadPimaTable(), { rows: 60, seed: 42, idPrefix: 'U' });
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(again);
  await expect(page.getByRole('heading', { name: 'Imported 60 patients from after_backup.csv' })).toBeVisible({
    timeout: 60_000,
  });
  const count = async () =>
    ((await callFromPage(page, 'listBatches', {})) as unknown as { value: unknown[] }).value.length;
  expect(await count()).toBe(2);
  await nav('Settings').click();
  const restore = page.getByRole('form', { name: 'Restore a backup' });
  await restore.getByLabel('Backup').selectOption({ index: 1 });
  await expect(restore.getByRole('button', { name: 'Restore' })).toBeDisabled();
  await restore.getByLabel('Type RESTORE to replace the database with it').fill('RESTORE');
  await restore.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByRole('status', { name: 'Backup result' })).toContainText('Restored from glucoscreen-');
  expect(await count()).toBe(1);
  await nav('Audit log').click();
  await expect(page.getByRole('status', { name: 'Hash chain' })).toContainText('Hash chain verified');
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText('database.restored');
  await screenshot(page, PREFIX, '03-restored');
});

test("the scoring API's limits are settings: a zero is refused beside its field, a valid value is saved", async () => {
  await nav('Settings').click();
  const rate = page.getByLabel('Requests a minute per client');
  await expect(rate).toHaveValue('60');
  await expect(page.getByLabel('Most patients in one request')).toHaveValue('100000');
  await rate.fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('#setting-api-rateLimitPerMinute-problem')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'api.rateLimitPerMinute' }).first()).toBeVisible();
  await rate.fill('120');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const saved = page.getByRole('status', { name: 'Saved changes' });
  await expect(saved).toContainText('api.rateLimitPerMinute');
  await nav('Import').click();
  await nav('Settings').click();
  await expect(page.getByLabel('Requests a minute per client')).toHaveValue('120');
  await screenshot(page, PREFIX, '04-api-limits');
});
