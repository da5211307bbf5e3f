import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, expect, type Page, test, type ViewportSize } from '@playwright/test';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import {
  ADMIN,
  CLINICIAN,
  callFromPage,
  expectAccessible,
  firstRun,
  SAMPLE_BATCH,
  screenshot,
  signIn,
  signOut,
} from './support/journey';

/**
 * The follow-up journey: import a batch, assign patients, record contacts and results, see the results as labels
 * on the Monitoring view, then, a week later (the same data folder, the host's clock 7 days on), re-import the same
 * patients and see their history and trend.
 */
test.describe.configure({ mode: 'serial' });

const PREFIX = 'follow-up';
const PATIENTS = 60;
let scratch: string;
let dataDir: string;
let host: RunningHost | undefined;
let context: BrowserContext | undefined;
let page: Page;
/** The three patients followed up: [with a diabetes result, with a normal result, still open]. */
let followed: string[] = [];

function nav(name: string | RegExp) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
}

/** The first PATIENTS rows of the sample batch; a week later the same ids, every other Glucose 40 mg/dL higher. */
function writeBatches(): { week1: string; week2: string } {
  const [header, ...rows] = readFileSync(SAMPLE_BATCH, 'utf8')
    .trim()
    .split('\n')
    .slice(0, PATIENTS + 1);
  const glucose = header.split(',').indexOf('Glucose');
  const raised = rows.map((row, i) => {
    const cells = row.split(',');
    if (i % 2 === 0 && Number(cells[glucose]) > 0) cells[glucose] = String(Math.min(199, Number(cells[glucose]) + 40));
    return cells.join(',');
  });
  const week1 = join(scratch, 'week1.csv');
  const week2 = join(scratch, 'week2.csv');
  writeFileSync(week1, `${[header, ...rows].join('\n')}\n`);
  writeFileSync(week2, `${[header, ...raised].join('\n')}\n`);
  return { week1, week2 };
}

let viewport: ViewportSize | null = null;

async function start(browser: Browser, days: number) {
  host = await startHostProcess({
    env: { GLUCOSCREEN_TEST_DATA_DIR: dataDir, GLUCOSCREEN_TEST_CLOCK_OFFSET_DAYS: String(days) },
  });
  ({ context, page } = await openApp(browser, host, viewport));
}

async function stop() {
  await context?.close();
  await host?.stop();
  context = undefined;
  host = undefined;
}

async function importFile(path: string, name: string) {
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(path);
  await expect(page.getByRole('heading', { name: `Imported ${PATIENTS} patients from ${name}` })).toBeVisible({
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Open worklist' }).click();
  await expect(page.getByTestId('worklist-count')).toContainText(`${PATIENTS} patients`);
}

async function openPatient(patientId: string) {
  await page.getByLabel('Search patient ID').fill(patientId);
  await page.getByRole('button', { name: patientId, exact: true }).click();
  await expect(page.getByRole('heading', { name: `Patient ${patientId}` })).toBeVisible();
  await expect(page.getByTestId('follow-up-status')).toBeVisible();
}

async function backToWorklist() {
  await page.getByRole('button', { name: '← Back to worklist' }).click();
  await page.getByLabel('Search patient ID').fill('');
  await expect(page.getByTestId('worklist-count')).toContainText(`${PATIENTS} patients`);
}

async function recordResult(test: string, value: string, unit: string) {
  const form = page.getByRole('form', { name: 'Record a result' });
  await form.getByRole('combobox', { name: 'Test', exact: true }).selectOption({ label: test });
  await form.getByRole('textbox', { name: 'Value', exact: true }).fill(value);
  await form.getByRole('combobox', { name: 'Unit', exact: true }).selectOption(unit);
  await form.getByRole('button', { name: 'Record result' }).click();
}

test.beforeAll(async ({ browser }, testInfo) => {
  viewport = testInfo.project.use.viewport ?? null;
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-e2e-follow-up-'));
  dataDir = join(scratch, 'data');
  mkdirSync(dataDir);
  await start(browser, 0);
});

test.afterAll(async () => {
  await closeApp(context, host, scratch);
});

test('week 1: import a batch, assign the top patients and mark two of them contacted from the worklist', async () => {
  await firstRun(page, PREFIX, false);
  const { week1 } = writeBatches();
  await importFile(week1, 'week1.csv');
  const ids = await page
    .getByTestId('worklist-row')
    .evaluateAll((rows) => rows.slice(0, 3).map((r) => r.querySelector('td')?.textContent?.trim() ?? ''));
  followed = ids;
  for (const id of ids) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected');
  await page.getByLabel('Assign to').selectOption(CLINICIAN.username);
  await page.getByRole('button', { name: 'Assign selected' }).click();
  await expect(page.getByRole('status')).toHaveText(`Assigned to ${CLINICIAN.username}: 3 patients.`);
  await expect(nav(/^My follow-ups/)).toContainText('3');

  for (const id of ids.slice(0, 2)) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
  await page.getByLabel('Contact note').fill('Phoned; HbA1c or fasting glucose ordered.');
  await page.getByRole('button', { name: 'Mark selected contacted' }).click();
  await expect(page.getByRole('status')).toHaveText('Marked contacted: 2 patients.');
  await expectAccessible(page, 'worklist with a selection');
  await screenshot(page, PREFIX, '11-worklist-assigned');
});

test('week 1: results are checked, decided by the ADA rule and shown with it', async () => {
  const [diabetic, normal] = followed;
  await openPatient(diabetic);
  await expect(page.getByTestId('follow-up-status')).toContainText(`Contacted · assigned to ${CLINICIAN.username}`);
  // An implausible value is refused with its rule, and nothing changes.
  await recordResult('HbA1c', '65', '%');
  await expect(page.getByRole('alert')).toContainText('HbA1c 65 % is not a plausible result (3-20 %)');
  await recordResult('HbA1c', '7.2', '%');
  await expect(page.getByRole('status')).toContainText('HbA1c 7.2 % ≥ 6.5 %: diabetes (ADA cut-off) (55 mmol/mol)');
  await expect(page.getByRole('status')).toContainText('Stored as this patient’s label');
  await expect(page.getByTestId('follow-up-status')).toContainText('Result recorded');
  await expect(page.getByRole('table', { name: 'Follow-up steps' }).getByRole('row')).toHaveCount(3);
  await expectAccessible(page, 'patient follow-up');
  await screenshot(page, PREFIX, '12-result-recorded');
  await backToWorklist();

  await openPatient(normal);
  await recordResult('Fasting plasma glucose', '5.4', 'mmol/L');
  await expect(page.getByRole('status')).toContainText(
    'Fasting plasma glucose 5.4 mmol/L < 7 mmol/L: no diabetes by this test (ADA cut-off)',
  );
  await backToWorklist();

  // One follow-up is still open: My follow-ups lists it, and exports it.
  await nav(/^My follow-ups/).click();
  await expect(page.getByTestId('follow-up-count')).toHaveText('1 patient');
  await expect(page.getByRole('table', { name: 'My follow-ups' })).toContainText(followed[2]);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export follow-up list (CSV)' }).click(),
  ]);
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toMatch(/^"patient_id","status","status_since","assigned_to"/);
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([`"${followed[2]}"`]);
  await expect(nav(/^My follow-ups/)).toContainText('1');
  await expectAccessible(page, 'my follow-ups');
  await screenshot(page, PREFIX, '13-my-follow-ups');
});

test('week 1: the results are labels on the Monitoring view', async () => {
  await signOut(page);
  await signIn(page, ADMIN);
  await nav('Monitoring').click();
  const weekly = page.getByRole('table', { name: 'Weekly performance' });
  await expect(weekly).toBeVisible({ timeout: 30_000 });
  // One week, two labelled patients (one positive).
  const cells = weekly.getByRole('row').nth(1).getByRole('cell');
  await expect(cells.nth(2)).toHaveText('2');
  await expect(cells.nth(3)).toHaveText('1');
  await screenshot(page, PREFIX, '14-monitoring-labels');
});

test('a week later: the same patients re-imported show a risk rise, their history and the trend', async ({
  browser,
}) => {
  await stop();
  await start(browser, 7);
  await signIn(page, CLINICIAN);
  const { week2 } = writeBatches();
  await importFile(week2, 'week2.csv');
  // Half the patients' Glucose rose by 40 mg/dL: some of them are marked.
  await expect(page.getByTestId('risk-rose').first()).toBeVisible();
  const marked = await page.getByTestId('risk-rose').count();
  expect(marked).toBeGreaterThan(0);
  await screenshot(page, PREFIX, '15-worklist-risk-rose');

  await openPatient(followed[0]);
  const screenings = page.getByRole('table', { name: 'Screenings' });
  await expect(screenings.getByRole('row')).toHaveCount(3);
  await expect(screenings).toContainText('week1.csv');
  await expect(screenings).toContainText('week2.csv');
  await expect(page.getByText('Risk score at each screening')).toBeVisible();
  await expect(page.locator('.chart .recharts-line-dot')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Results' })).toContainText('HbA1c 7.2 % ≥ 6.5 %');
  await expect(page.getByRole('table', { name: 'Follow-up steps' })).toContainText('Contacted');
  await expectAccessible(page, 'patient history');
  await screenshot(page, PREFIX, '16-patient-history');
});

test('a month after the first screening: the open follow-up is overdue, counted in the navigation', async ({
  browser,
}) => {
  await stop();
  await start(browser, 31);
  await signIn(page, CLINICIAN);
  await expect(nav(/^Overdue/)).toContainText('1');
  await nav(/^Overdue/).click();
  const list = page.getByRole('table', { name: 'Overdue follow-ups' });
  await expect(list.getByRole('row')).toHaveCount(2);
  await expect(list.getByRole('row').nth(1)).toContainText(followed[2]);
  await expect(list.getByRole('row').nth(1)).toContainText('(overdue)');
  // Every clinician's overdue patients include the ones nobody was assigned.
  await page.getByRole('checkbox', { name: "Every clinician's patients" }).check();
  await expect(list.getByRole('row')).not.toHaveCount(2);
  await expectAccessible(page, 'overdue follow-ups');
  await screenshot(page, PREFIX, '17-overdue');
});

test('months later: back up, purge the old patient rows, then restore the backup and they are back', async ({
  browser,
}) => {
  await stop();
  await start(browser, 70);
  await signIn(page, ADMIN);
  // Other patients, screened today: they are inside the retention period.
  const [header, ...rows] = readFileSync(SAMPLE_BATCH, 'utf8').trim().split('\n');
  const later = join(scratch, 'later.csv');
  writeFileSync(later, `${[header, ...rows.slice(PATIENTS, 2 * PATIENTS)].join('\n')}\n`);
  await importFile(later, 'later.csv');
  const history = async (patientId: string) =>
    (await callFromPage(page, 'patientHistory', { patientId })) as unknown as {
      ok: boolean;
      value?: { screenings: unknown[] };
    };
  const monitoring = async () =>
    ((await callFromPage(page, 'monitoringSummary', {})) as unknown as { value: { weeks: unknown[] } }).value.weeks;
  const weeksBefore = await monitoring();
  expect(weeksBefore.length).toBeGreaterThan(0);
  expect((await history(followed[0])).value?.screenings).toHaveLength(2);

  await nav('Settings').click();
  await page.getByLabel('Patient rows may be purged after months').fill('1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status', { name: 'Saved changes' })).toContainText('retention.patientRowsMonths');
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('status', { name: 'Backup result' })).toContainText('Backed up as glucoscreen-');

  await page.getByRole('button', { name: 'Preview purge' }).click();
  const dialog = page.getByRole('dialog', { name: 'Purge old patient rows?' });
  const removed = dialog.getByRole('list', { name: 'Would be removed' });
  await expect(removed).toContainText('2 batches');
  await expect(removed).toContainText(`${2 * PATIENTS} scored patients`);
  await expect(dialog.getByRole('button', { name: 'Purge' })).toBeDisabled();
  await screenshot(page, PREFIX, '18-purge-preview');
  await dialog.getByLabel('Type PURGE to purge').fill('PURGE');
  await dialog.getByRole('button', { name: 'Purge' }).click();
  await expect(page.getByRole('status', { name: 'Purge result' })).toContainText('Purged batches screened before');

  expect((await history(followed[0])).ok).toBe(false);
  expect(await monitoring()).toEqual(weeksBefore);
  const batches = (
    (await callFromPage(page, 'listBatches', {})) as unknown as { value: { batchId: string; fileName: string }[] }
  ).value;
  const week1 = batches.find((b) => b.fileName === 'week1.csv');
  const page1 = (await callFromPage(page, 'worklistPage', {
    batchId: week1?.batchId,
    offset: 0,
    limit: 100,
  })) as unknown as {
    value: { rows: unknown[] };
  };
  expect(page1.value.rows).toEqual([]);
  await nav('Audit log').click();
  await expect(page.getByRole('status', { name: 'Hash chain' })).toContainText('Hash chain verified');
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText('retention.purged');

  await nav('Settings').click();
  const restore = page.getByRole('form', { name: 'Restore a backup' });
  await restore.getByLabel('Backup').selectOption({ index: 1 });
  await restore.getByLabel('Type RESTORE to replace the database with it').fill('RESTORE');
  await restore.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByRole('status', { name: 'Backup result' })).toContainText('Restored from glucoscreen-');
  expect((await history(followed[0])).value?.screenings).toHaveLength(2);
  expect(await monitoring()).toEqual(weeksBefore);
  await screenshot(page, PREFIX, '19-restored-after-purge');
});
