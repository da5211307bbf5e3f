import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = resolve(ROOT, 'e2e/artifacts');
export const SAMPLE_BATCH = resolve(ROOT, 'resources/sample_daily_batch.csv');
export const MALFORMED_BATCH = resolve(ROOT, 'e2e/fixtures/malformed_batch.csv');
export const BATCH_WITH_ERRORS = resolve(ROOT, 'e2e/fixtures/batch_with_errors.csv');

export const ADMIN = { username: 'admin', password: 'admin passphrase 1' };
export const CLINICIAN = { username: 'nurse.jones', password: 'clinician passphrase 2' };

/** Rows in the sample file, counted from the file itself (every row passes the hard rules). */
export function sampleRowCount(): number {
  return readFileSync(SAMPLE_BATCH, 'utf8').trim().split('\n').length - 1;
}

export async function screenshot(page: Page, prefix: string, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Journeys run at more than one window size: each size keeps its own screenshots.
  const size = page.viewportSize();
  const suffix = size && !(size.width === 1366 && size.height === 900) ? `@${size.width}x${size.height}` : '';
  await page.screenshot({ path: resolve(ARTIFACTS, `${prefix}-${name}${suffix}.png`), fullPage: true });
}

/** axe-core over the current view: no serious or critical violation of WCAG 2.1 A/AA. */
export async function expectAccessible(page: Page, view: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `accessibility problems in ${view}`).toEqual([]);
}

/**
 * Calls the contract from inside the page, as a tampered renderer would: through the preload bridge in Electron,
 * through the host's HTTP transport (with the page's own token) in a browser.
 */
export async function callFromPage(
  page: Page,
  method: string,
  arg: unknown,
): Promise<{ ok: boolean; error?: { code: string } }> {
  return page.evaluate(
    async ({ method, arg }) => {
      // Runs in the page; this file is type-checked without the DOM lib, hence globalThis.
      const page = globalThis as unknown as {
        glucoscreen?: { api: Record<string, (a: unknown) => Promise<unknown>> };
        sessionStorage: { getItem(key: string): string | null };
      };
      const bridge = page.glucoscreen;
      if (bridge) return (await bridge.api[method](arg)) as { ok: boolean; error?: { code: string } };
      const token = page.sessionStorage.getItem('glucoscreen-token') ?? '';
      const response = await fetch(`/api/call/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-glucoscreen-token': token },
        body: JSON.stringify(arg),
      });
      return (await response.json()) as { ok: boolean; error?: { code: string } };
    },
    { method, arg },
  );
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

export async function signIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in to Glucoscreen' })).toBeVisible();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Glucoscreen' })).toBeVisible();
}

/** The first-run form: the first administrator is created and signed in. */
export async function createFirstAdmin(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Welcome to Glucoscreen' })).toBeVisible();
  await page.getByLabel('Administrator username').fill(ADMIN.username);
  await page.getByLabel('Password (at least 10 characters)').fill(ADMIN.password);
  await page.getByLabel('Repeat the password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText(`${ADMIN.username} (admin)`)).toBeVisible();
}

export async function firstRun(page: Page, prefix: string, axe: boolean): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Welcome to Glucoscreen' })).toBeVisible();
  if (axe) await expectAccessible(page, 'first run');
  await screenshot(page, prefix, '01-first-run');
  await page.getByLabel('Administrator username').fill(ADMIN.username);
  await page.getByLabel('Password (at least 10 characters)').fill(ADMIN.password);
  await page.getByLabel('Repeat the password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText(`${ADMIN.username} (admin)`)).toBeVisible();

  await nav(page, 'Users').click();
  await page.getByLabel('Username').fill(CLINICIAN.username);
  await page.getByLabel('Password (at least 10 characters)').fill(CLINICIAN.password);
  await page.getByLabel('Role').selectOption('clinician');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status')).toContainText(`Account “${CLINICIAN.username}” created.`);
  await expect(page.getByRole('cell', { name: CLINICIAN.username })).toBeVisible();
  // Disable and re-enable the new account from its row; the status column follows.
  const row = page.getByRole('row', { name: new RegExp(`^${CLINICIAN.username} `) });
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('status')).toContainText(`Account “${CLINICIAN.username}” disabled.`);
  await expect(row.getByRole('cell', { name: 'Disabled' })).toBeVisible();
  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row.getByRole('cell', { name: 'Active' })).toBeVisible();
  // The only administrator cannot demote themselves; the refusal is shown and nothing changes.
  await page
    .getByRole('row', { name: new RegExp(`^${ADMIN.username} `) })
    .getByRole('button', { name: 'Make clinician' })
    .click();
  await expect(page.getByRole('alert')).toContainText('last active administrator');
  if (axe) await expectAccessible(page, 'users');
  await screenshot(page, prefix, '02-users');
  await signOut(page);
  if (axe) await expectAccessible(page, 'sign in');
  await screenshot(page, prefix, '03-sign-in');
  await signIn(page, CLINICIAN);
  await expect(page.getByText(`${CLINICIAN.username} (clinician)`)).toBeVisible();
}

const RANK: Record<string, number> = { High: 2, Medium: 1, Low: 0 };

/** Reads the rendered worklist rows: [patient id, category, score]. */
async function visibleRows(page: Page): Promise<{ id: string; category: string; score: number }[]> {
  return page.getByTestId('worklist-row').evaluateAll((rows) =>
    rows.map((row) => {
      const cells = row.querySelectorAll('td');
      return {
        id: cells[0]?.textContent?.trim() ?? '',
        category: (cells[1]?.textContent ?? '').replace(/[▲◆●]/g, '').trim(),
        score: Number.parseFloat(cells[2]?.textContent ?? 'NaN'),
      };
    }),
  );
}

function expectHighFirst(rows: { category: string; score: number }[]): void {
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1];
    const b = rows[k];
    expect(RANK[a.category] > RANK[b.category] || (a.category === b.category && a.score >= b.score)).toBe(true);
  }
}

export async function importSample(page: Page, prefix: string, axe: boolean): Promise<void> {
  const expected = sampleRowCount();
  await nav(page, 'Import').click();
  await expect(page.getByRole('heading', { name: 'Import a daily batch' })).toBeVisible();
  if (axe) await expectAccessible(page, 'import');
  await page.getByTestId('import-file-input').setInputFiles(SAMPLE_BATCH);
  await expect(
    page.getByRole('heading', { name: `Imported ${expected} patients from sample_daily_batch.csv` }),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('heading', { name: 'Validation report' })).toBeVisible();
  if (axe) await expectAccessible(page, 'import result');
  await screenshot(page, prefix, '04-import-report');

  await page.getByRole('button', { name: 'Open worklist' }).click();
  await expect(page.getByTestId('worklist-count')).toContainText(`${expected} patients`);
  await expect(page.getByTestId('worklist-row').first()).toBeVisible();
  const top = await visibleRows(page);
  expect(top.length).toBeGreaterThan(5);
  expectHighFirst(top);
  // The High chip's count, and the first row is High whenever there is any High patient.
  const highChip = await page.getByText(/^High \((\d+)\)$/).textContent();
  const highCount = Number(/\((\d+)\)/.exec(highChip ?? '')?.[1]);
  if (highCount > 0) expect(top[0].category).toBe('High');
  // The bottom of the list (virtualised: scroll there) is the lowest risk.
  await page.locator('.worklist-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(async () => {
    const bottom = await visibleRows(page);
    expect(bottom.at(-1)?.category).toBe(highCount === expected ? 'High' : 'Low');
    expectHighFirst(bottom);
  }).toPass();
  await page.locator('.worklist-scroll').evaluate((el) => el.scrollTo(0, 0));
  if (axe) await expectAccessible(page, 'worklist');
  await screenshot(page, prefix, '05-worklist');

  // The export holds every patient of the list, High first.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const exported = readFileSync(await download.path(), 'utf8')
    .trim()
    .split(/\r?\n/);
  // Every text cell is quoted (see csv-export.ts).
  expect(exported[0]).toMatch(/^"patient_id","risk_category","diabetes_risk_score"/);
  expect(exported.length - 1).toBe(expected);
  expect(exported[1].split(',')[1]).toBe(`"${top[0].category}"`);

  // The printable High-risk list.
  await page.getByRole('button', { name: 'Printable High-risk list' }).click();
  await expect(page.getByRole('heading', { name: /^High-risk patients/ })).toBeVisible();
  await expect(page.locator('.print-table tbody tr')).toHaveCount(highCount);
  if (axe) await expectAccessible(page, 'printable High-risk list');
  await screenshot(page, prefix, '05b-high-risk-list');
  await page.getByRole('button', { name: '← Back to worklist' }).click();

  // Each row says why, in words: the top reasons (TreeSHAP), e.g. "Glucose 167 mg/dL raises".
  await expect(page.getByTestId('worklist-row').first().locator('.factor-summary')).toContainText(/raises/);
  // Borderline patients (scores near the threshold) can be listed on their own, each marked.
  await page.getByRole('checkbox', { name: 'Borderline only' }).check();
  const borderlineCount = Number(
    /(\d+) patients?/.exec((await page.getByTestId('worklist-count').textContent()) ?? '')?.[1],
  );
  if (borderlineCount > 0) await expect(page.getByTestId('worklist-row').first()).toContainText('Borderline');
  await page.getByRole('checkbox', { name: 'Borderline only' }).uncheck();

  // Filters and search run in main: only High, then one patient by id.
  await page.getByRole('checkbox', { name: /^High/ }).check();
  await expect(page.getByTestId('worklist-count')).toContainText(`${highCount} patients`);
  await page.getByRole('checkbox', { name: /^High/ }).uncheck();
  const someId = top[1].id;
  await page.getByLabel('Search patient ID').fill(someId);
  await expect(page.getByTestId('worklist-count')).toContainText(/^\d+ patients?/);
  await expect(page.getByTestId('worklist-row').first()).toContainText(someId);
  await page.getByLabel('Search patient ID').fill('');
  await expect(page.getByTestId('worklist-count')).toContainText(`${expected} patients`);
}

export async function openPatient(page: Page, prefix: string, axe: boolean): Promise<void> {
  const first = await visibleRows(page);
  await page.getByRole('button', { name: first[0].id, exact: true }).click();
  await expect(page.getByRole('heading', { name: `Patient ${first[0].id}` })).toBeVisible();
  await expect(page.getByTestId('patient-score')).toContainText('Risk score');
  await expect(page.getByRole('heading', { name: 'Inputs' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'Glucose' })).toBeVisible();
  // Why: every input's reason, and the waterfall from the average patient to this one (8 inputs + 2 ends).
  await expect(page.locator('.factors li')).toHaveCount(8);
  await expect(page.getByTestId('risk-waterfall').locator('li')).toHaveCount(10);
  if (axe) await expectAccessible(page, 'patient detail');
  await screenshot(page, prefix, '06-patient-detail');
  // Keyboard: J goes to the next patient in worklist order, R marks reviewed and moves on to the next unreviewed.
  await page.locator('body').press('j');
  await expect(page.getByRole('heading', { name: `Patient ${first[1].id}` })).toBeVisible();
  await page.locator('body').press('r');
  await expect(page.getByRole('heading', { name: `Patient ${first[2].id}` })).toBeVisible();
  await expect(page.getByTestId('reviewed-before')).toContainText(`Patient ${first[1].id} marked reviewed`);
  await page.locator('body').press('k');
  await expect(page.getByRole('heading', { name: `Patient ${first[1].id}` })).toBeVisible();
  await expect(page.getByText(`Reviewed by ${CLINICIAN.username}`)).toBeVisible();
  await page.getByRole('button', { name: '← Back to worklist' }).click();
  await expect(page.getByTestId('worklist-count')).toBeVisible();
}

export async function quickScore(page: Page, prefix: string, axe: boolean): Promise<void> {
  await nav(page, 'Quick score').click();
  const form = page.getByRole('form', { name: 'Quick score' });
  const values: Record<string, string> = {
    Pregnancies: '6',
    'Glucose (mg/dL)': '148',
    'Diastolic blood pressure (mm Hg)': '72',
    'Triceps skinfold (mm)': '35',
    'Insulin (2-hour) (µU/mL)': '0',
    'BMI (kg/m²)': '33.6',
    'Diabetes pedigree function': '0.627',
    'Age (years)': '130',
  };
  await form.getByLabel('Patient ID (optional)').fill('WALK-IN-1');
  for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
  // Checked as typed, with the batch rules: 130 years is out of range, so scoring is not offered.
  await expect(form.getByText('Age must be between 0 and 120')).toBeVisible();
  await expect(form.getByRole('button', { name: 'Score patient' })).toBeDisabled();
  await form.getByLabel('Age (years)', { exact: true }).fill('50');
  await expect(form.getByRole('button', { name: 'Score patient' })).toBeEnabled();
  await form.getByRole('button', { name: 'Score patient' }).click();
  await expect(page.getByRole('heading', { name: 'Result for WALK-IN-1' })).toBeVisible();
  await expect(page.getByTestId('quick-score-value')).toContainText(/Risk score \d/);
  // 148 mg/dL on a 2-hour OGTT is impaired tolerance, not the diabetes range (that is the fasting cut-off's reading).
  await expect(page.getByText('Impaired glucose tolerance (2-hour OGTT 140–199 mg/dL)')).toBeVisible();
  await expect(page.getByText('Obese (BMI ≥ 30)')).toBeVisible();
  if (axe) await expectAccessible(page, 'quick score');
  await screenshot(page, prefix, '07-quick-score');
}

export async function malformedImport(page: Page, prefix: string, axe: boolean): Promise<void> {
  const before = await callFromPage(page, 'listBatches', {});
  await nav(page, 'Import').click();
  await page.getByTestId('import-file-input').setInputFiles(MALFORMED_BATCH);
  const alert = page.getByRole('alert').filter({ hasText: 'The file was not imported.' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Glucose');
  await expect(alert).toContainText('Nothing was stored.');
  if (axe) await expectAccessible(page, 'import error');
  await screenshot(page, prefix, '08-import-malformed');
  const after = await callFromPage(page, 'listBatches', {});
  const complete = (r: unknown) =>
    ((r as { value: { status: string }[] }).value ?? []).filter((b) => b.status === 'complete').length;
  expect(complete(after)).toBe(complete(before));
}

export async function history(page: Page, prefix: string, axe: boolean): Promise<void> {
  await nav(page, 'Batch history').click();
  await expect(page.getByRole('table', { name: 'Past batches' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'sample_daily_batch.csv', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Rejected (nothing stored)' })).toBeVisible();
  if (axe) await expectAccessible(page, 'history');
  await screenshot(page, prefix, '09-history');
  await page.getByRole('button', { name: /^Reopen batch sample_daily_batch\.csv/ }).click();
  await expect(page.getByTestId('worklist-count')).toContainText(`${sampleRowCount()} patients`);
}

export async function clinicianRefusedAdmin(page: Page): Promise<void> {
  await expect(nav(page, 'Users')).toHaveCount(0);
  const create = await callFromPage(page, 'createUser', {
    username: 'intruder',
    password: 'x'.repeat(12),
    role: 'admin',
  });
  expect(create).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const list = await callFromPage(page, 'listUsers', {});
  expect(list).toMatchObject({ ok: false, error: { code: 'forbidden' } });
}

export async function lockAndUnlock(page: Page, prefix: string, axe: boolean): Promise<void> {
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Glucoscreen is locked' })).toBeVisible();
  const whileLocked = await callFromPage(page, 'listBatches', {});
  expect(whileLocked).toMatchObject({ ok: false, error: { code: 'locked' } });
  if (axe) await expectAccessible(page, 'lock');
  await screenshot(page, prefix, '10-locked');
  await page.getByLabel('Password').fill(CLINICIAN.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

export async function importWithErrors(page: Page, prefix: string, axe: boolean): Promise<void> {
  await nav(page, 'Import').click();
  // Dropped onto the drop zone this time (the sample went through the file picker).
  const dataTransfer = await page.evaluateHandle(
    ({ content, name }) => {
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: string[], name: string, options: { type: string }) => unknown;
      };
      const transfer = new dom.DataTransfer();
      transfer.items.add(new dom.File([content], name, { type: 'text/csv' }));
      return transfer;
    },
    { content: readFileSync(BATCH_WITH_ERRORS, 'utf8'), name: 'batch_with_errors.csv' },
  );
  await page.getByRole('region', { name: 'Drop a CSV file here' }).dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('heading', { name: 'Imported 3 patients from batch_with_errors.csv' })).toBeVisible();
  const rejected = page.getByRole('table', { name: 'Rejected rows' });
  await expect(rejected.getByRole('row')).toHaveCount(4);
  // Line, column, value and reason of each rejected row (the header is line 1).
  const expectations = [
    ['E002', '3', 'Glucose', 'abc'],
    ['E004', '5', 'Age', '150'],
    ['E006', '7', 'BMI', ''],
  ] as const;
  for (const [id, line, column, value] of expectations) {
    const cells = rejected.getByRole('row').filter({ hasText: id }).getByRole('cell');
    await expect(cells).toHaveText([line, id, column, value, /.+/]);
  }
  if (axe) await expectAccessible(page, 'import with rejected rows');
  await screenshot(page, prefix, '04b-import-rejected-rows');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export rejected rows (CSV)' }).click(),
  ]);
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe('"line","patient_id","column","value","rule","reason"');
  expect(
    lines
      .slice(1)
      .map((l) => l.split(',')[1])
      .sort(),
  ).toEqual(['"E002"', '"E004"', '"E006"']);
}

/** Browser only (Playwright's clock): after the inactivity time the app locks itself, and main records it. */
export async function autoLock(page: Page): Promise<void> {
  await page.clock.install();
  await page.clock.fastForward('16:00');
  await expect(page.getByRole('heading', { name: 'Glucoscreen is locked' })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('Password').fill(CLINICIAN.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Sorting any column in main, the reviewed filter, marking reviewed with a note from the worklist keyboard. */
export async function worklistSortAndReview(page: Page): Promise<void> {
  const grid = page.getByRole('grid', { name: 'Patients' });
  const glucoseHeader = grid.getByRole('columnheader', { name: /Glucose/ });
  await glucoseHeader.getByRole('button').click();
  await expect(glucoseHeader).toHaveAttribute('aria-sort', /ascending|descending/);
  const direction = await glucoseHeader.getAttribute('aria-sort');
  await expect(async () => {
    const values = await page
      .getByTestId('worklist-row')
      .evaluateAll((rows) => rows.map((r) => Number.parseFloat(r.querySelectorAll('td')[4]?.textContent ?? '')));
    const known = values.filter((v) => !Number.isNaN(v));
    expect(known.length).toBeGreaterThan(5);
    for (let k = 1; k < known.length; k++) {
      if (direction === 'ascending') expect(known[k]).toBeGreaterThanOrEqual(known[k - 1]);
      else expect(known[k]).toBeLessThanOrEqual(known[k - 1]);
    }
  }).toPass();

  // Mark the selected patient reviewed from the list, with a note.
  await grid.focus();
  await page.keyboard.press('Home');
  const firstId = (await page.getByTestId('worklist-row').first().locator('td').first().textContent())?.trim() ?? '';
  await page.keyboard.press('r');
  const dialog = page.getByRole('dialog', { name: `Mark ${firstId} reviewed` });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Note (optional)').fill('Letter sent for an HbA1c test.');
  await dialog.getByRole('button', { name: 'Mark reviewed' }).click();
  await expect(page.getByTestId('worklist-row').first()).toContainText(`✓ by ${CLINICIAN.username}`);
  await page.getByLabel('Review', { exact: true }).selectOption('reviewed');
  await expect(page.getByTestId('worklist-count')).toContainText('2 patients');
  await page.getByLabel('Review', { exact: true }).selectOption('all');

  // A "not measured" zero is shown as imputed (P001 has Glucose 0 in the sample); an Insulin 0 (test not done) is
  // shown as not measured, not as a reading.
  await page.getByLabel('Search patient ID').fill('P001');
  await page.getByRole('button', { name: 'P001', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Patient P001' })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Glucose/ })).toContainText('not recorded — imputed');
  await expect(page.getByRole('row', { name: /^Insulin/ })).toContainText('not measured (recorded as 0)');
  await page.getByRole('button', { name: '← Back to worklist' }).click();
}
