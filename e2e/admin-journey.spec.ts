import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { writeTestBundle } from '../core/app/test-support/test-app';
import { bumpVersion } from '../core/registry/semver';
import { writeSyntheticBatch } from '../core/screening/synthetic-batch';
import { openStore } from '../core/store/sqlite-store';
import { loadPimaTable } from '../core/testing/pima';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import {
  ADMIN,
  CLINICIAN,
  callFromPage,
  createFirstAdmin,
  expectAccessible,
  screenshot,
  signIn,
  signOut,
} from './support/journey';

/**
 * The admin's day against the real core behind the e2e host: two batches (one shifted), labels arrive, an alert is
 * acknowledged, a candidate model is promoted and rolled back, and the audit log shows all of it.
 */
test.describe.configure({ mode: 'serial' });

const PREFIX = 'admin';
const SHIFT = { Glucose: 15, BMI: 3, Age: 10 } as const;
const CANDIDATE_DIR = 'model_20260102_000000';

let host: RunningHost;
let context: BrowserContext;
let page: Page;
let scratch: string;
let plainPath: string;
let driftedPath: string;
let labelsPath: string;
let labels: { id: string; outcome: 0 | 1 }[];
let productionVersion: string;
let candidateVersion: string;

function nav(name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

async function importFile(path: string, name: string, rows: number): Promise<string> {
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(path);
  await expect(page.getByRole('heading', { name: `Imported ${rows} patients from ${name}` })).toBeVisible({
    timeout: 60_000,
  });
  const batches = await callFromPage(page, 'listBatches', {});
  const list = (batches as unknown as { value: { batchId: string; fileName: string }[] }).value;
  return list.find((b) => b.fileName === name)?.batchId ?? '';
}

test.beforeAll(async ({ browser }) => {
  host = await startHostProcess();
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-admin-e2e-'));
  const pima = await loadPimaTable();
  plainPath = join(scratch, 'week_batch.csv');
  driftedPath = join(scratch, 'shifted_batch.csv');
  writeSyntheticBatch(plainPath, pima, { rows: 240, seed: 31, idPrefix: 'W' });
  writeSyntheticBatch(driftedPath, pima, { rows: 240, seed: 32, idPrefix: 'S', shift: SHIFT });
  // Ground truth by a rule independent of the model (glucose >= 140), for 80 patients of the plain batch.
  const rows = readFileSync(plainPath, 'utf8').trim().split('\n').slice(1, 81);
  const glucoseAt = readFileSync(plainPath, 'utf8').split('\n')[0].split(',').indexOf('Glucose');
  labels = rows.map((line) => {
    const cells = line.split(',');
    return { id: cells[0], outcome: Number(cells[glucoseAt]) >= 140 ? 1 : 0 };
  });
  labelsPath = join(scratch, 'labels.csv');
  writeFileSync(
    labelsPath,
    `patient_id,outcome\n${labels.map((l) => `${l.id},${l.outcome}`).join('\n')}\nNOT-SCREENED-1,1\n`,
  );
  // A second real bundle (same trees, another threshold and calibration) as a training run would leave it.
  productionVersion = JSON.parse(readFileSync(join(host.dataDir, 'models/production/metadata.json'), 'utf8')).version;
  candidateVersion = bumpVersion(productionVersion, 'patch');
  await writeTestBundle(join(host.dataDir, 'models/experiments', CANDIDATE_DIR), {
    version: candidateVersion,
    threshold: 0.33,
    calibration: { slope: 1.05, intercept: -0.25 },
    trainingDate: '2026-01-02T00:00:00.000Z',
  });
  ({ context, page } = await openApp(browser, host));
});

test.afterAll(async () => {
  await closeApp(context, host, scratch);
});

let plainBatch = '';
let driftedBatch = '';

test('the admin signs up and imports a batch of the usual kind and a shifted one', async () => {
  await createFirstAdmin(page);
  plainBatch = await importFile(plainPath, 'week_batch.csv', 240);
  await expect(page.getByTestId('open-alerts-banner')).toHaveCount(0);
  driftedBatch = await importFile(driftedPath, 'shifted_batch.csv', 240);
  expect(plainBatch).not.toBe('');
  expect(driftedBatch).not.toBe('');
  // The import raised the alerts itself: the summary says the batch is unusual, and the navigation and a banner
  // show open alerts before anyone opens Monitoring.
  await expect(page.getByTestId('batch-drift-notice')).toContainText('Glucose');
  await expect(page.getByTestId('alerts-badge')).toBeVisible();
  const open = (await callFromPage(page, 'listOpenAlerts', {})) as unknown as { value: { batchId: number }[] };
  expect(open.value.length).toBeGreaterThan(0);
  expect(open.value.every((a) => String(a.batchId) === driftedBatch)).toBe(true);
  await expect(page.getByTestId('alerts-badge')).toContainText(String(open.value.length));
  await expect(page.getByTestId('open-alerts-banner')).toContainText(
    `${open.value.length === 1 ? '1 open alert' : `${open.value.length} open alerts`}`,
  );
  await screenshot(page, PREFIX, '19-import-alerts');
});

test('EDA: the nine sections of the training data, then of a loaded CSV without outcomes', async () => {
  await nav('Data (EDA)').click();
  await expect(page.getByRole('status').filter({ hasText: 'Showing: the training data (768 rows' })).toBeVisible();
  for (const title of [
    '1. Overview',
    '2. Missing data (zeros as missing)',
    '3. Distributions and skewness',
    '4. Each feature against the outcome',
    '5. Correlation heatmap',
    '6. Clinical thresholds',
    '7. Subgroup rates',
    '8. Outliers (|z| > 3)',
    '9. Key findings',
  ]) {
    await expect(page.getByRole('heading', { name: title, exact: true })).toBeVisible();
  }
  await expect(page.locator('figure.chart svg.recharts-surface').first()).toBeVisible();
  const heatmap = page.getByRole('table', { name: 'Pearson correlation between features' });
  await expect(heatmap.getByRole('rowheader')).toHaveCount(9);
  await expectAccessible(page, 'EDA');
  await screenshot(page, PREFIX, '20-eda');

  await page.getByLabel('Analyse another CSV (batch format)').setInputFiles(plainPath);
  await expect(page.getByRole('status').filter({ hasText: 'Showing: week_batch.csv (240 rows' })).toBeVisible();
  await expect(heatmap.getByRole('rowheader')).toHaveCount(8);
  await page.getByRole('button', { name: 'Back to the training data' }).click();
});

test('drift: the shifted batch is flagged on Glucose, BMI and Age, drifted features first; a click shows one', async () => {
  await nav('Drift').click();
  await page.getByLabel('Batch', { exact: true }).selectOption(driftedBatch);
  const verdict = page.getByRole('status', { name: 'Dataset verdict' });
  await expect(verdict).toContainText('Dataset drift detected');
  await expect(verdict).toContainText(`batch ${driftedBatch}`);
  const table = page.getByRole('table', { name: 'Drift per feature' });
  const rows = table.locator('tbody tr');
  const flagged = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      feature: tr.getAttribute('data-feature'),
      drifted: (tr.textContent ?? '').includes('Drift detected'),
    })),
  );
  const drifted = flagged.filter((f) => f.drifted).map((f) => f.feature);
  expect(drifted).toEqual(expect.arrayContaining(['Glucose', 'BMI', 'Age']));
  // Drifted first.
  expect(flagged.map((f) => f.drifted)).toEqual([...flagged.map((f) => f.drifted)].sort((a, b) => +b - +a));
  // The UI's flags are the stored report's flags.
  const stored = (await callFromPage(page, 'driftReport', { batchId: driftedBatch })) as unknown as {
    value: { report: { driftedFeatures: string[] } };
  };
  expect([...drifted].sort()).toEqual([...stored.value.report.driftedFeatures].sort());

  await table.getByRole('button', { name: 'Glucose', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Glucose: reference against current' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Drift over batches' })).toBeVisible();
  await expectAccessible(page, 'drift');
  await screenshot(page, PREFIX, '21-drift');

  await page.getByLabel('Batch', { exact: true }).selectOption(plainBatch);
  await expect(verdict).toContainText(`batch ${plainBatch}`);
  await expect(table.locator('tr[data-feature="Glucose"]')).toContainText('Not detected');
});

test('monitoring: labels import reports matches, the week updates, the drift alert is acknowledged', async () => {
  await nav('Monitoring').click();
  await expect(page.getByText('No labelled predictions yet (0 labels stored)')).toBeVisible();
  await page.getByLabel('Labels file').setInputFiles(labelsPath);
  const report = page.getByRole('status', { name: 'Labels import report' });
  await expect(report).toContainText('Matched80');
  await expect(report).toContainText('Unmatched1');
  // The reason of every unmatched label is summarised up front, not only in the collapsed list.
  await expect(page.getByTestId('unmatched-summary')).toContainText('1 label not matched: 1 ×');
  await expect(report).toContainText('Conflicting0');

  // The week's confusion counts, computed here from the worklist's own recommendations.
  const page0 = (await callFromPage(page, 'worklistPage', {
    batchId: plainBatch,
    offset: 0,
    limit: 1000,
  })) as unknown as {
    value: { rows: { patientId: string; recommended: boolean }[] };
  };
  const recommended = new Map(page0.value.rows.map((r) => [r.patientId, r.recommended]));
  const positives = labels.filter((l) => l.outcome === 1);
  const tp = positives.filter((l) => recommended.get(l.id)).length;
  const fn = positives.length - tp;
  const weekRow = page.getByRole('table', { name: 'Weekly performance' }).locator('tbody tr').first();
  const cells = await weekRow.locator('td').allTextContents();
  expect(cells.slice(2, 6)).toEqual([String(labels.length), String(positives.length), String(tp), String(fn)]);
  await expect(
    page.getByRole('heading', { name: 'Recall per ISO week' }).or(page.getByText('Recall per ISO week')),
  ).toBeVisible();

  const ack = page.getByRole('button', { name: /^Acknowledge alert \d+$/ }).first();
  await expect(ack).toBeVisible();
  await ack.click();
  await expect(page.getByRole('status').filter({ hasText: /^Alert \d+ acknowledged\.$/ })).toBeVisible();
  await expect(page.getByRole('cell', { name: `Acknowledged by ${ADMIN.username}` })).toBeVisible();
  // The governance report of the period: one printable HTML file with both batches and the alerts, no patient id.
  await page.getByLabel('From').fill('2020-01-01');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download report (HTML)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^glucoscreen_report_2020-01-01_\d{4}-\d{2}-\d{2}\.html$/);
  const reportHtml = readFileSync(await download.path(), 'utf8');
  expect(reportHtml).toContain('week_batch.csv');
  expect(reportHtml).toContain('shifted_batch.csv');
  expect(reportHtml).not.toContain(labels[0].id);
  await expectAccessible(page, 'monitoring');
  await screenshot(page, PREFIX, '22-monitoring');
});

/**
 * A training run's experiment records, written into the app's database through the store adapter the way
 * `npm run train -- --db <app db>` records them (a real tuner run takes minutes; the view only reads the records).
 */
function recordTrainingRun(trials: number): number[] {
  const store = openStore(join(host.dataDir, 'glucoscreen.db'));
  try {
    const runId = store.experiments.startRun({
      name: `train ${candidateVersion}`,
      kind: 'train',
      params: { trials },
      tags: { version: candidateVersion },
      dataSha256: '0'.repeat(64),
    });
    const values: number[] = [];
    for (let n = 0; n < trials; n++) {
      const value = Number((0.6 + 0.2 * (1 - Math.exp(-n / 4))).toFixed(4));
      values.push(value);
      store.experiments.recordTrial(runId, {
        number: n,
        params: { num_leaves: 15 + n, learning_rate: 0.05 },
        value,
        state: 'complete',
        metrics: { f2: value },
      });
    }
    store.experiments.finishRun(runId, {
      status: 'finished',
      artifactPaths: [],
      metrics: { best_f2: Math.max(...values) },
    });
    return values;
  } finally {
    store.close();
  }
}

test('models: promote the candidate and roll back, each confirmed; scoring follows production', async () => {
  const trialValues = recordTrainingRun(12);
  await nav('Models').click();
  const trials = page.getByRole('table', { name: /^Trials of run \d+$/ });
  await expect(trials.locator('tbody tr')).toHaveCount(trialValues.length);
  await expect(trials.locator('tbody tr').last()).toContainText(trialValues.at(-1)?.toFixed(4) ?? '');
  await expect(page.locator('.recharts-scatter-symbol')).toHaveCount(trialValues.length);
  await expect(page.getByText(`In production: ${productionVersion}`)).toBeVisible();
  await page.getByRole('button', { name: `Model card ${productionVersion}` }).click();
  await expect(page.getByRole('heading', { name: `Model card: ${productionVersion}` })).toBeVisible();
  await expect(
    page.getByText(`Feature importance of ${productionVersion}: mean |SHAP| (log-odds) over 768 training rows`),
  ).toBeVisible();
  // The SHAP summary: one dot per sampled training patient and input.
  await expect(page.getByText(`SHAP summary of ${productionVersion}:`, { exact: false })).toBeVisible();
  await expect(page.locator('.chart').filter({ hasText: 'SHAP summary' }).locator('circle')).toHaveCount(8 * 400);
  const comparison = page.getByRole('table', { name: 'Version comparison' });
  await expect(comparison.getByRole('row', { name: /^Threshold/ })).toContainText('0.33');
  await expect(comparison.getByRole('row', { name: /^Calibration/ })).toContainText('1.0500, -0.2500');

  await page.getByRole('button', { name: `Promote ${candidateVersion}` }).click();
  const dialog = page.getByRole('dialog', { name: `Promote ${candidateVersion} to production?` });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'promote confirmation');
  await screenshot(page, PREFIX, '23-models-confirm');
  await dialog.getByRole('button', { name: 'Promote' }).click();
  await expect(page.getByText(`${candidateVersion} is now in production.`)).toBeVisible();
  const status = (await callFromPage(page, 'firstRunStatus', {})) as unknown as {
    value: { model: { version: string; threshold: number } };
  };
  expect(status.value.model).toMatchObject({ version: candidateVersion, threshold: 0.33 });

  await page.getByRole('button', { name: `Roll back to ${productionVersion}` }).click();
  await page
    .getByRole('dialog', { name: `Roll back to ${productionVersion}?` })
    .getByRole('button', { name: 'Roll back' })
    .click();
  await expect(page.getByText(`Rolled back: ${productionVersion} is in production again.`)).toBeVisible();
  const after = (await callFromPage(page, 'firstRunStatus', {})) as unknown as {
    value: { model: { version: string } };
  };
  expect(after.value.model.version).toBe(productionVersion);
  await expectAccessible(page, 'models');
  await screenshot(page, PREFIX, '24-models');
});

test('system health lists every batch with duration, rows/s and memory', async () => {
  await nav('System health').click();
  const table = page.getByRole('table', { name: 'Batch processing' });
  await expect(table.getByRole('cell', { name: 'week_batch.csv' })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'shifted_batch.csv' })).toBeVisible();
  await expectAccessible(page, 'system health');
  await screenshot(page, PREFIX, '25-system-health');
});

test('a clinician sees none of the admin views, and main refuses every admin call (audited)', async () => {
  const created = await callFromPage(page, 'createUser', { ...CLINICIAN, role: 'clinician' });
  expect(created.ok).toBe(true);
  await signOut(page);
  await signIn(page, CLINICIAN);
  for (const view of ['Data (EDA)', 'Drift', 'Monitoring', 'Models', 'System health', 'Audit log']) {
    await expect(nav(view)).toHaveCount(0);
  }
  const calls: [string, unknown][] = [
    ['edaReport', { source: 'training' }],
    ['driftReport', { batchId: driftedBatch }],
    ['importLabels', { fileName: 'labels.csv', content: 'patient_id,outcome\nW001,1\n' }],
    ['acknowledgeAlert', { alertId: 1 }],
    ['promoteModel', { modelId: `experiments/${CANDIDATE_DIR}`, confirmed: true }],
    ['rollbackModel', { confirmed: true }],
    ['auditLog', {}],
  ];
  for (const [method, arg] of calls) {
    expect(await callFromPage(page, method, arg), method).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }
  await signOut(page);
  await signIn(page, ADMIN);
});

test('the audit log shows every action above, filters by who and what, and the chain verifies', async () => {
  await nav('Audit log').click();
  await expect(page.getByRole('status', { name: 'Hash chain' })).toContainText('Hash chain verified');
  const events = page.getByRole('table', { name: 'Audit events' });
  const actions = await events.locator('tbody tr td:nth-child(4)').allTextContents();
  for (const action of [
    'auth.signed-in',
    'batch.scored',
    'labels.imported',
    'alert.raised',
    'alert.acknowledged',
    'model.promoted',
    'model.rolled-back',
    'access.denied',
  ]) {
    expect(actions, action).toContain(action);
  }
  await expectAccessible(page, 'audit log');
  await screenshot(page, PREFIX, '26-audit');

  await page.getByLabel('What (action)').fill('model.promoted');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('heading', { name: '1 event' })).toBeVisible();
  await expect(events.locator('tbody tr')).toHaveCount(1);
  await expect(events.locator('tbody tr')).toContainText(candidateVersion);
  await page.getByLabel('What (action)').fill('access.denied');
  await page.getByLabel('Who').fill(CLINICIAN.username);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('heading', { name: '7 events' })).toBeVisible();
  await page.getByLabel('Who').fill('nobody');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('heading', { name: '0 events' })).toBeVisible();
});
