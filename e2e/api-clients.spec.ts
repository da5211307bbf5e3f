import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { parseConfig } from '../core/config/app-config';
import { type ScoringApi, startScoringApi } from '../core/host/scoring-api';
import { loadScreeningModel } from '../core/screening/load-model';
import { openStore } from '../core/store/sqlite-store';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import { ADMIN, expectAccessible, firstRun, signIn, signOut } from './support/journey';

/**
 * An admin creates an API client in the app; the key shown once scores a patient through the scoring API on the
 * app's own database; after the admin revokes it, the same key is refused.
 */
test.describe.configure({ mode: 'serial' });

let host: RunningHost;
let context: BrowserContext;
let page: Page;
let scratch: string;

test.beforeAll(async ({ browser }) => {
  host = await startHostProcess();
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-api-e2e-'));
  ({ context, page } = await openApp(browser, host));
});

test.afterAll(async () => {
  await closeApp(context, host, scratch);
});

test('create a client, use its key once shown, revoke it', async () => {
  await firstRun(page, 'api-clients', false);
  // firstRun leaves the clinician it made signed in.
  await signOut(page);
  await signIn(page, ADMIN);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'API clients', exact: true })
    .click();
  await page.getByLabel('Client name').fill('EHR bridge');
  await page.getByRole('button', { name: 'Create client and key' }).click();
  await expect(page.getByRole('status')).toContainText('API client “EHR bridge” created.');
  const key = await page.getByLabel('API key').inputValue();
  expect(key).toMatch(/^gsk_/);
  await expectAccessible(page, 'API clients');
  await page.getByRole('button', { name: 'Done, hide the key' }).click();
  await expect(page.getByLabel('API key')).toHaveCount(0);
  await expect(page.getByRole('cell', { name: 'EHR bridge' })).toBeVisible();

  const config = parseConfig(
    {
      paths: {
        dbPath: 'glucoscreen.db',
        outputDir: 'predictions',
        rejectedDir: 'rejected',
        modelDir: 'models/production',
      },
    },
    'e2e',
    host.dataDir,
  );
  const store = openStore(config.paths.dbPath);
  const model = await loadScreeningModel(config.paths.modelDir);
  let api: ScoringApi | null = null;
  try {
    api = await startScoringApi({ store, config, model, port: 0, warmUpRounds: 0 });
    const patient = {
      patient_id: 'E2E-1',
      Pregnancies: 2,
      Glucose: 150,
      BloodPressure: 70,
      SkinThickness: 30,
      Insulin: 100,
      BMI: 35,
      DiabetesPedigreeFunction: 0.5,
      Age: 45,
    };
    const score = () =>
      fetch(new URL('/v1/score', api?.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ patients: [patient] }),
      });
    const scored = await score();
    expect(scored.status).toBe(200);
    expect(((await scored.json()) as { predictions: { patient_id: string }[] }).predictions[0].patient_id).toBe(
      'E2E-1',
    );

    await page.getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByRole('status')).toContainText('The key of “EHR bridge” is revoked.');
    await expect(page.getByRole('cell', { name: /^Revoked/ })).toBeVisible();
    expect((await score()).status).toBe(401);
  } finally {
    await api?.close();
    await model.scorer.release();
    store.close();
  }
});
