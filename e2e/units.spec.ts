import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type RunningHost, startHostProcess } from './support/host-process';
import { firstRun, SAMPLE_BATCH, sampleRowCount, screenshot } from './support/journey';

/**
 * A Glucose column in mmol/L: held with one message and nothing in the worklist when the unit is not declared,
 * scored (with its unit in the summary) when the header declares it.
 */
test.describe.configure({ mode: 'serial' });

let host: RunningHost;
let context: BrowserContext;
let page: Page;
let dir: string;
const PREFIX = 'units';

/** The synthetic sample batch with its Glucose in mmol/L, under `glucoseHeader`. */
function sampleInMmol(name: string, glucoseHeader: string): string {
  const [header, ...rows] = readFileSync(SAMPLE_BATCH, 'utf8').trim().split('\n');
  const lines = [header.replace('Glucose', glucoseHeader)];
  for (const row of rows) {
    const cells = row.split(',');
    cells[2] = (Number(cells[2]) / 18.016).toFixed(1);
    lines.push(cells.join(','));
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function nav(name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

test.beforeAll(async ({ browser }, testInfo) => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-units-'));
  host = await startHostProcess();
  context = await browser.newContext({ viewport: testInfo.project.use.viewport ?? null });
  page = await context.newPage();
  await page.goto(host.openUrl);
});

test.afterAll(async () => {
  await context?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an undeclared mmol/L file is held: the import says why, history says held, nothing is scored', async () => {
  await firstRun(page, PREFIX, false);
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(sampleInMmol('day_mmol.csv', 'Glucose'));
  const alert = page.getByRole('alert').filter({ hasText: 'The file was held, not scored.' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(alert).toContainText(
    'day_mmol.csv was held, not scored: Glucose looks like mmol/L: declare the unit (Glucose (mmol/L)) or convert.',
  );
  await expect(alert).toContainText('No patient was stored; the batch is recorded as held.');
  await screenshot(page, PREFIX, '01-import-held');
  await nav('Batch history').click();
  const row = page.getByRole('row').filter({ hasText: 'day_mmol.csv' });
  await expect(row).toContainText('Held, not scored (nothing stored)');
  await expect(row.getByTestId('batch-attention')).toHaveText(
    'Glucose looks like mmol/L: declare the unit (Glucose (mmol/L)) or convert',
  );
  await screenshot(page, PREFIX, '02-history-held');
});

test('the same file with Glucose (mmol/L) in its header is scored, and the summary names the unit', async () => {
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(sampleInMmol('day_declared.csv', 'Glucose (mmol/L)'));
  await expect(page.getByText(`Imported ${sampleRowCount()} patients from day_declared.csv`)).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByTestId('import-units')).toHaveText(
    'Units: Glucose in mmol/L (converted to mg/dL x 18.016, declared in the header)',
  );
  await expect(page.getByTestId('import-attention')).toHaveCount(0);
  await screenshot(page, PREFIX, '03-import-declared');
});
