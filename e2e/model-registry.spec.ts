import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { closeApp, type RunningHost } from './support/host-process';
import { ADMIN, callFromPage, expectAccessible, screenshot } from './support/journey';
import { hostWithCandidate } from './support/registry-host';

/**
 * The model registry in the Models view: a candidate whose recall on its evaluation is below the 0.85 target shows
 * its failed gate before anything happens, is promoted only with a written reason, and each row offers only the
 * actions valid for it; a bundle exported and changed by one byte is refused on import, naming the file.
 */
test.describe.configure({ mode: 'serial' });

const PREFIX = 'registry';
const CANDIDATE_DIR = 'model_20260105_000000';
const CANDIDATE_ID = `experiments/${CANDIDATE_DIR}`;

let host: RunningHost;
let context: BrowserContext;
let page: Page;
let scratch: string;
let productionVersion: string;
let candidateVersion: string;

const versionsTable = () => page.getByRole('table', { name: 'Model versions' });
const rowOf = (text: string) => versionsTable().getByRole('row').filter({ hasText: text });

test.beforeAll(async ({ browser }) => {
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-registry-e2e-'));
  // A high threshold: the bundle's recorded recall is below the target.
  ({ host, context, page, productionVersion, candidateVersion } = await hostWithCandidate(browser, {
    candidateDir: CANDIDATE_DIR,
    threshold: 0.85,
  }));
});

test.afterAll(async () => {
  await closeApp(context, host, scratch);
});

test('each row offers only its valid actions', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click();
  await expect(page.getByText(`In production: ${productionVersion}`)).toBeVisible();
  const production = rowOf('Production');
  await expect(production.getByRole('button', { name: `Export ${productionVersion}` })).toBeVisible();
  await expect(production.getByRole('button', { name: /^(Promote|Archive|Restore) / })).toHaveCount(0);
  const candidate = rowOf(CANDIDATE_DIR);
  for (const action of ['Promote', 'Archive', 'Export'])
    await expect(candidate.getByRole('button', { name: `${action} ${candidateVersion}` })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Roll back to/ })).toBeDisabled();
});

test('a failed gate is shown before confirming; the promotion needs a written reason, which is audited', async () => {
  await rowOf(CANDIDATE_DIR)
    .getByRole('button', { name: `Promote ${candidateVersion}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Promote ${candidateVersion} to production?` });
  const gates = dialog.getByRole('list', { name: `Promotion gates of ${candidateVersion}` });
  const recall = JSON.parse(
    readFileSync(join(host.dataDir, 'models', CANDIDATE_ID, 'metadata.json'), 'utf8'),
  ).test_metrics.recall.toFixed(3);
  await expect(gates.getByRole('listitem').filter({ hasText: 'recall-target' })).toHaveText(
    `Failed recall-target: recall ${recall} on its held-out test set is below the target 0.850`,
  );
  await expect(gates.getByRole('listitem').filter({ hasText: 'version:' })).toContainText('Passed');
  await expect(gates.getByRole('listitem').filter({ hasText: 'shadow-recall' })).toContainText(
    'no shadow evidence yet',
  );
  const reason = dialog.getByLabel(/Reason for overriding the failed gates/);
  const promote = dialog.getByRole('button', { name: 'Promote' });
  await expect(promote).toBeDisabled();
  await reason.fill('too short');
  await expect(promote).toBeDisabled();
  await expectAccessible(page, 'promotion gates');
  await screenshot(page, PREFIX, '01-gate-failed');
  // A client that skips the dialog is refused by core all the same.
  expect(await callFromPage(page, 'promoteModel', { modelId: CANDIDATE_ID, confirmed: true })).toMatchObject({
    ok: false,
    error: { code: 'conflict' },
  });
  await reason.fill('Validated by the central site on 2,000 local patients');
  await promote.click();
  await expect(page.getByText(`${candidateVersion} is now in production.`)).toBeVisible();
  const audit = (await callFromPage(page, 'auditLog', { action: 'model.gates-overridden' })) as unknown as {
    value: { events: { actor: string; subject: string; details: { reason: string } }[] };
  };
  expect(audit.value.events.map((e) => [e.actor, e.subject, e.details.reason])).toEqual([
    [ADMIN.username, candidateVersion, 'Validated by the central site on 2,000 local patients'],
  ]);
});

test('after the promotion the backup offers roll back only, and the promoted experiment only archive and export', async () => {
  const backup = rowOf('Previous production (backup)');
  await expect(backup.getByRole('button', { name: /^(Promote|Archive|Restore) / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Roll back to ${productionVersion}` })).toBeEnabled();
  const experiment = rowOf(CANDIDATE_DIR);
  await expect(experiment.getByRole('button', { name: `Promote ${candidateVersion}` })).toHaveCount(0);
  await expect(experiment.getByRole('button', { name: `Archive ${candidateVersion}` })).toBeVisible();
  await screenshot(page, PREFIX, '02-after-promotion');
});

test('export downloads one file; a copy changed by one byte is refused on import, naming the file', async () => {
  const downloading = page.waitForEvent('download');
  await rowOf(CANDIDATE_DIR)
    .getByRole('button', { name: `Export ${candidateVersion}` })
    .click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`glucoscreen-model-${candidateVersion}.json`);
  const doc = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(doc.manifest.version).toBe(candidateVersion);
  const bytes = Buffer.from(doc.contents['trees.json'], 'base64');
  bytes[20] ^= 0x01;
  doc.contents['trees.json'] = bytes.toString('base64');
  const tampered = join(scratch, 'tampered.json');
  writeFileSync(tampered, JSON.stringify(doc));
  await page.getByLabel(/Import a model bundle/).setInputFiles(tampered);
  await expect(page.getByText(/Not imported: trees\.json: sha256 [0-9a-f]{64} .* the file was changed/)).toBeVisible();
  const refusals = (await callFromPage(page, 'auditLog', { action: 'model.import-refused' })) as unknown as {
    value: { events: { subject: string }[] };
  };
  expect(refusals.value.events.map((e) => e.subject)).toEqual(['tampered.json']);
});
