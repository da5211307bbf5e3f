import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import {
  autoLock,
  clinicianRefusedAdmin,
  firstRun,
  history,
  importSample,
  importWithErrors,
  lockAndUnlock,
  malformedImport,
  openPatient,
  quickScore,
  worklistSortAndReview,
} from './support/journey';

/** One clinic's first day, in order, against the real core behind the e2e host (fresh temp data folder). */
test.describe.configure({ mode: 'serial' });

let host: RunningHost;
let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }, testInfo) => {
  host = await startHostProcess();
  // axe-core's Playwright runner needs a page of an explicit context, at the project's window size.
  ({ context, page } = await openApp(browser, host, testInfo.project.use.viewport ?? null));
});

test.afterAll(async () => {
  await closeApp(context, host);
});

test('first run: create the admin, then a clinician, then sign in as the clinician', async () => {
  await firstRun(page, 'browser', true);
});

test('import the sample daily CSV: the count and the High-first order are right', async () => {
  await importSample(page, 'browser', true);
});

test('open a patient, move with the keyboard, mark reviewed', async () => {
  await openPatient(page, 'browser', true);
});

test('quick-score one patient, checked as typed', async () => {
  await quickScore(page, 'browser', true);
});

test('a malformed CSV gives a clear error and stores nothing', async () => {
  await malformedImport(page, 'browser', true);
});

test('batch history lists the batches and reopens one', async () => {
  await history(page, 'browser', true);
});

test('sort any column, mark reviewed with a note from the list, see imputed values', async () => {
  await worklistSortAndReview(page);
});

test('rejected rows are listed with line, column, value and reason, and can be exported', async () => {
  await importWithErrors(page, 'browser', true);
});

test('a clinician cannot reach an admin action, even by calling the API directly', async () => {
  await clinicianRefusedAdmin(page);
});

test('lock hides the app and refuses calls until unlocked', async () => {
  await lockAndUnlock(page, 'browser', true);
});

test('the app locks itself after inactivity', async () => {
  await autoLock(page);
});

test('the token guards the API: a call without it is refused', async () => {
  const status = await page.evaluate(async () => {
    const response = await fetch('/api/call/listBatches', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return response.status;
  });
  expect(status).toBe(401);
});
