import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type RunningHost, startHostProcess } from './support/host-process';
import {
  ADMIN,
  ARTIFACTS,
  BATCH_WITH_ERRORS,
  CLINICIAN,
  firstRun,
  SAMPLE_BATCH,
  sampleRowCount,
  screenshot,
  signIn,
  signOut,
} from './support/journey';

/**
 * What a clinician sees must never mislead: incomplete patients, readings that match the test, tests not done,
 * a waterfall that ends at the headline, stale quick scores, and information that stays reachable.
 */
test.describe.configure({ mode: 'serial' });

let host: RunningHost;
let context: BrowserContext;
let page: Page;
const PREFIX = 'honesty';
/** Sample rows with Glucose or BMI recorded as 0 (not measured). */
const INCOMPLETE_IN_SAMPLE = readFileSync(SAMPLE_BATCH, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .filter((line) => {
    const cells = line.split(',');
    return Number(cells[2]) === 0 || Number(cells[6]) === 0;
  }).length;

const BATCH_WITH_WARNINGS = resolve(import.meta.dirname, 'fixtures/batch_with_warnings.csv');

/** The window as a user sees it (not the whole page), for the README: `docs-<name>-<width>x<height>.png`. */
async function docsScreenshot(name: string): Promise<void> {
  const size = page.viewportSize();
  mkdirSync(resolve(ARTIFACTS, 'docs'), { recursive: true });
  await page.screenshot({ path: resolve(ARTIFACTS, 'docs', `${name}-${size?.width}x${size?.height}.png`) });
}

function nav(name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

test.beforeAll(async ({ browser }, testInfo) => {
  host = await startHostProcess();
  context = await browser.newContext({ viewport: testInfo.project.use.viewport ?? null });
  page = await context.newPage();
  await page.goto(host.openUrl);
});

test.afterAll(async () => {
  await context?.close();
  await host?.stop();
});

test('incomplete patients are marked, named and counted; the recommendation says what it rests on', async () => {
  await firstRun(page, PREFIX, false);
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(SAMPLE_BATCH);
  await expect(page.getByTestId('import-incomplete')).toHaveText(String(INCOMPLETE_IN_SAMPLE), { timeout: 60_000 });
  await page.getByRole('button', { name: 'Open worklist' }).click();
  await expect(page.getByTestId('worklist-incomplete')).toContainText(`${INCOMPLETE_IN_SAMPLE} patients incomplete`);
  await expect(page.getByTestId('worklist-row').first()).toBeVisible();
  await docsScreenshot('worklist');
  await page.getByLabel('Search patient ID').fill('P001');
  const row = page.getByTestId('worklist-row').filter({ hasText: 'P001' }).first();
  await expect(row.getByTestId('incomplete-badge')).toHaveText('Incomplete');
  // The Glucose cell names the value the score assumed instead of a bare dash.
  await expect(row).toContainText(/not measured · assumed \d+(\.\d)?/);
  await screenshot(page, PREFIX, '01-worklist-incomplete');
  await page.getByRole('button', { name: 'P001', exact: true }).click();
  await expect(page.getByTestId('recommendation')).toContainText('rests on an assumed value: Glucose');
  // Insulin 0 is a test not done: never a reading that "raises the risk".
  await expect(page.getByRole('row', { name: /^Insulin/ })).toContainText('not measured');
  await expect(page.locator('.factors')).not.toContainText('Insulin 0 µU/mL');
  await expect(page.locator('.factors')).toContainText('Insulin not measured');
  await expect(page.getByTestId('risk-waterfall')).toContainText('Insulin not measured');
  await expect(page.getByTestId('risk-waterfall')).not.toContainText('Insulin 0 µU/mL');
  // The waterfall ends at the headline score.
  const headline = ((await page.getByTestId('patient-score').textContent()) ?? '').replace('Risk score ', '').trim();
  await expect(page.getByTestId('waterfall-end')).toContainText(headline);
  await screenshot(page, PREFIX, '02-patient-incomplete');
  await docsScreenshot('patient-incomplete');
  await page.getByRole('button', { name: '← Back to worklist' }).click();
  await page.getByLabel('Search patient ID').fill('');
});

test('the export says what it exports, and clearing the search then exporting exports every row', async () => {
  const total = sampleRowCount();
  await expect(page.getByTestId('export-button')).toHaveText(`Export CSV (all ${total} patients)`);
  await page.getByLabel('Search patient ID').fill('P00');
  await expect(page.getByTestId('export-button')).toContainText(`filtered of ${total}`);
  await page.getByLabel('Search patient ID').fill('');
  // Reading the prepared file back is held for a moment, long enough to see the progress and the disabled button.
  const starts: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/startWorklistExport')) starts.push(request.url());
  });
  await page.route('**/readExportChunk', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-button')).toBeDisabled();
  await expect(page.getByTestId('export-button')).toHaveText('Exporting…');
  await expect(page.getByTestId('export-progress')).toContainText(/Saving \d+\.\d of \d+\.\d MB/);
  await page.getByTestId('export-button').click({ force: true });
  const download = await downloading;
  await page.unroute('**/readExportChunk');
  await expect(page.getByTestId('export-progress')).toHaveCount(0);
  await expect(page.getByTestId('export-button')).toBeEnabled();
  expect(starts).toHaveLength(1);
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split(/\r?\n/);
  expect(lines.length - 1).toBe(total);
  expect(lines[0]).toContain('incomplete');
  // The incomplete column names the value P001's score assumed.
  expect(lines.find((line) => line.startsWith('"P001"'))).toMatch(/"Glucose not measured, assumed \d+(\.\d)? mg\/dL"/);
});

test('Mark reviewed moves the selection to the next unreviewed patient', async () => {
  const grid = page.getByRole('grid', { name: 'Patients' });
  await grid.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('r');
  await page.getByRole('dialog').getByRole('button', { name: 'Mark reviewed' }).click();
  const rows = page.getByTestId('worklist-row');
  await expect(rows.nth(0)).toContainText(`✓ by ${CLINICIAN.username}`);
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
});

test('Mark reviewed on the patient page opens the next unreviewed patient in worklist order', async () => {
  const rows = page.getByTestId('worklist-row');
  const ids = await rows.evaluateAll((all) => all.slice(0, 4).map((r) => r.querySelector('td')?.textContent?.trim()));
  // Row 0 was reviewed from the list; rows 1 and 2 were not.
  await page.getByRole('button', { name: ids[1], exact: true }).click();
  await page.getByRole('button', { name: 'Mark reviewed (R)' }).click();
  await expect(page.getByRole('heading', { name: `Patient ${ids[2]}` })).toBeVisible();
  await expect(page.getByTestId('reviewed-before')).toContainText(`Patient ${ids[1]} marked reviewed`);
  // From the top again: row 1 is reviewed now, so the next unreviewed after row 0 is row 2.
  await page.getByRole('button', { name: '← Back to worklist' }).click();
  await page.getByRole('button', { name: ids[0], exact: true }).click();
  await expect(page.getByRole('heading', { name: `Patient ${ids[0]}` })).toBeVisible();
  await page.getByRole('button', { name: 'Mark reviewed (R)' }).click();
  await expect(page.getByRole('heading', { name: `Patient ${ids[2]}` })).toBeVisible();
  await expect(page.getByTestId('reviewed-before')).toContainText(`Patient ${ids[0]} marked reviewed`);
  await page.getByRole('button', { name: '← Back to worklist' }).click();
  // Listing only the unreviewed, the patient marked leaves the list and the next one takes its place.
  await page.getByLabel('Review', { exact: true }).selectOption('unreviewed');
  await expect(rows.first()).toContainText(ids[2] ?? '');
  await page.getByRole('button', { name: ids[2], exact: true }).click();
  await page.getByRole('button', { name: 'Mark reviewed (R)' }).click();
  await expect(page.getByRole('heading', { name: `Patient ${ids[3]}` })).toBeVisible();
  await page.getByRole('button', { name: '← Back to worklist' }).click();
  await page.getByLabel('Review', { exact: true }).selectOption('all');
});

test('clinical labels use the 2-hour OGTT cut-offs; implausible values are never Normal; stale results are marked', async () => {
  await nav('Quick score').click();
  const form = page.getByRole('form', { name: 'Quick score' });
  const values: Record<string, string> = {
    Pregnancies: '2',
    'Glucose (mg/dL)': '9.7',
    'Diastolic blood pressure (mm Hg)': '70',
    'Triceps skinfold (mm)': '20',
    'Insulin (2-hour) (µU/mL)': '0',
    'BMI (kg/m²)': '90',
    'Diabetes pedigree function': '0.3',
    'Age (years)': '40',
  };
  await form.getByLabel('Patient ID (optional)').fill('WALK-IN-9');
  for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Score patient' }).click();
  await expect(page.getByRole('heading', { name: 'Result for WALK-IN-9' })).toBeVisible();
  const glucose = page.getByRole('row', { name: /^Glucose/ });
  await expect(glucose).toContainText('Implausible');
  await expect(glucose).not.toContainText('Normal');
  // A warning names its column once.
  await expect(page.locator('.banner-warning li').first()).not.toContainText(/(\w+): \1:/);
  await screenshot(page, PREFIX, '03-quick-score');
  await form.getByLabel('Glucose (mg/dL)', { exact: true }).fill('150');
  await expect(page.getByTestId('quick-score-stale')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Out of date: result for WALK-IN-9' })).toBeVisible();
  await form.getByRole('button', { name: 'Score patient' }).click();
  await expect(page.getByRole('heading', { name: 'Result for WALK-IN-9' })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Glucose/ })).toContainText('Impaired glucose tolerance');
});

test('rejected rows stay reachable: the worklist links to the report, and so does Batch history', async () => {
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(BATCH_WITH_ERRORS);
  await expect(page.getByRole('heading', { name: /^Imported 3 patients from batch_with_errors\.csv/ })).toBeVisible();
  await expect(page.getByText(/Rejected rows/).first()).toBeVisible();
  await page.getByRole('button', { name: 'Open worklist' }).click();
  await expect(page.getByTestId('worklist-not-scored')).toContainText('3 patients of the file not scored');
  await page.getByRole('button', { name: 'See the validation report' }).click();
  await expect(page.getByRole('heading', { name: /^Validation report — batch_with_errors\.csv/ })).toBeVisible();
  await nav('Batch history').click();
  await expect(page.getByRole('table', { name: 'Quick scores' })).toContainText('Quick score');
  await expect(page.getByRole('table', { name: 'Past batches' })).not.toContainText('Quick score');
  await page.getByRole('button', { name: /^Validation report of sample_daily_batch\.csv/ }).click();
  await expect(page.getByRole('heading', { name: /^Validation report — sample_daily_batch\.csv/ })).toBeVisible();
  await screenshot(page, PREFIX, '04-history-report');
});

test('after a reload the clinician lands on the latest daily batch, and no request 404s', async () => {
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  await page.reload();
  const signInHeading = page.getByRole('heading', { name: 'Sign in to Glucoscreen' });
  if (await signInHeading.isVisible().catch(() => false)) await signIn(page, CLINICIAN);
  await expect(page.getByTestId('worklist-not-scored')).toBeVisible();
  await expect(page.getByText('batch_with_errors.csv ·')).toBeVisible();
  expect(missing).toEqual([]);
  await screenshot(page, PREFIX, '05-landing');
});

test('import warnings are on the import summary, a badge in the worklist and a list on the patient page', async () => {
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(BATCH_WITH_WARNINGS);
  await expect(page.getByRole('heading', { name: /^Imported 6 patients from batch_with_warnings\.csv/ })).toBeVisible();
  // W002 twice (a duplicate id); W001's Insulin 1200 and pedigree 3.5 are outside the plausible ranges.
  const warnings = page.getByRole('table', { name: 'Warnings' });
  await expect(warnings).toContainText('W002');
  await expect(warnings).toContainText('W001');
  await docsScreenshot('import-summary-warnings');
  await page.getByRole('button', { name: 'Open worklist' }).click();
  const w001 = page.getByTestId('worklist-row').filter({ hasText: 'W001' });
  await expect(w001.locator('.warning-badge')).toHaveText(/^\d+ import warnings?$/);
  const w005 = page.getByTestId('worklist-row').filter({ hasText: 'W005' });
  await expect(w005.locator('.warning-badge')).toHaveCount(0);
  await page.getByRole('button', { name: 'W001', exact: true }).click();
  const listed = page.getByTestId('patient-warnings');
  await expect(listed).toContainText('Import warnings for this patient');
  await expect(listed.locator('li').first()).toBeVisible();
  await expect(listed).toContainText(/Insulin|DiabetesPedigreeFunction/);
  // The printable High-risk list names an assumed value too: W006 (Glucose 199, BMI not measured) is High.
  await page.getByRole('button', { name: '← Back to worklist' }).click();
  await page.getByRole('button', { name: 'Printable High-risk list' }).click();
  const w006 = page.locator('.print-table tbody tr').filter({ hasText: 'W006' });
  await expect(w006).toContainText('BMI (not measured, assumed');
  await page.getByRole('button', { name: '← Back to worklist' }).click();
  await page.getByRole('button', { name: 'W001', exact: true }).click();
});

test('review notes keep their history; a half-typed note survives a manual lock and the auto-lock', async () => {
  const note = page.getByRole('textbox', { name: 'Note', exact: true });
  const reopenW001 = async () => {
    await page.getByRole('button', { name: '← Back to worklist' }).click();
    await page.getByRole('button', { name: 'W001', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Patient W001' })).toBeVisible();
  };
  await expect(page.getByRole('heading', { name: 'Patient W001' })).toBeVisible();
  await note.fill('First call: no answer.');
  await page.getByRole('button', { name: 'Mark reviewed (R)' }).click();
  await expect(page.getByTestId('reviewed-before')).toContainText('Patient W001 marked reviewed');
  await reopenW001();
  await expect(page.getByText(`Reviewed by ${CLINICIAN.username}`)).toContainText('First call: no answer.');
  await expect(note).toHaveValue('');
  await note.fill('Second call: appointment booked.');
  await page.getByRole('button', { name: 'Mark reviewed (R)' }).click();
  await expect(page.getByTestId('reviewed-before')).toContainText('Patient W001 marked reviewed');
  await reopenW001();
  await expect(page.getByText(`Reviewed by ${CLINICIAN.username}`)).toContainText('Second call: appointment booked.');
  await expect(page.getByTestId('review-history').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('review-history')).toContainText('First call: no answer.');

  const unlock = async () => {
    await expect(page.getByRole('heading', { name: 'Glucoscreen is locked' })).toBeVisible({ timeout: 20_000 });
    await page.getByLabel('Password').fill(CLINICIAN.password);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('heading', { name: 'Patient W001' })).toBeVisible();
  };
  await note.fill('Half-typed: asked to bring the');
  await page.getByRole('button', { name: 'Lock' }).click();
  await unlock();
  await expect(note).toHaveValue('Half-typed: asked to bring the');
  await page.clock.install();
  await page.clock.fastForward('16:00');
  await unlock();
  await expect(note).toHaveValue('Half-typed: asked to bring the');
});

test('adding a user whose name is taken says so, and never also that the account was created', async () => {
  await signOut(page);
  await signIn(page, ADMIN);
  await nav('Users').click();
  const form = page.getByRole('form', { name: 'Add a user' });
  const add = async (username: string) => {
    await form.getByLabel('Username').fill(username);
    await form.getByLabel('Password (at least 10 characters)').fill('long enough passphrase');
    await form.getByRole('button', { name: 'Create user' }).click();
  };
  await add('first.new');
  await expect(page.getByRole('status')).toHaveText('Account “first.new” created.');
  await add(CLINICIAN.username);
  // The users form's own error (an admin may also see the open-alerts banner, another alert).
  await expect(page.getByRole('alert').filter({ hasText: 'is taken' })).toContainText(CLINICIAN.username);
  await expect(page.getByText(/created\./)).toHaveCount(0);
});
