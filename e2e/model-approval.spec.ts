import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { closeApp, type RunningHost } from './support/host-process';
import { ADMIN, callFromPage, screenshot, signIn, signOut } from './support/journey';
import { hostWithCandidate } from './support/registry-host';

/**
 * The two-person rule (models.requireSecondApprover): one admin's promotion becomes a request that the same admin
 * cannot approve; a second admin approves it and the candidate goes into production.
 */
test.describe.configure({ mode: 'serial' });

const SECOND_ADMIN = { username: 'second.admin', password: 'second passphrase 3' };
const CANDIDATE_DIR = 'model_20260106_000000';

let host: RunningHost;
let context: BrowserContext;
let page: Page;
let productionVersion: string;
let candidateVersion: string;

const openModels = () =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click();

test.beforeAll(async ({ browser }) => {
  // A low threshold: the recorded recall is above the target, so only the second admin stands in the way.
  ({ host, context, page, productionVersion, candidateVersion } = await hostWithCandidate(browser, {
    candidateDir: CANDIDATE_DIR,
    threshold: 0.25,
    config: { models: { requireSecondApprover: true } },
  }));
  expect(await callFromPage(page, 'createUser', { ...SECOND_ADMIN, role: 'admin' })).toMatchObject({ ok: true });
});

test.afterAll(async () => {
  await closeApp(context, host);
});

test('the requester sees the request waiting, and is not offered to approve it', async () => {
  await openModels();
  await page.getByRole('button', { name: `Promote ${candidateVersion}` }).click();
  const dialog = page.getByRole('dialog', { name: `Promote ${candidateVersion} to production?` });
  await expect(dialog).toContainText('Another admin must approve the request first.');
  await dialog.getByRole('button', { name: 'Request promotion' }).click();
  await expect(
    page.getByText(`Promotion of ${candidateVersion} requested; another admin must approve it.`),
  ).toBeVisible();
  await expect(page.getByText(`In production: ${productionVersion}`)).toBeVisible();
  const request = page.getByRole('article', { name: new RegExp(`^Request \\d+: ${candidateVersion}$`) });
  await expect(request).toContainText(`requested by ${ADMIN.username}`);
  await expect(request.getByRole('button', { name: `Approve ${candidateVersion}` })).toHaveCount(0);
  await expect(request.getByRole('button', { name: `Withdraw ${candidateVersion}` })).toBeVisible();
  await screenshot(page, 'approval', '01-requested');
});

test('a second admin approves it; the candidate is in production and both are in the audit log', async () => {
  await signOut(page);
  await signIn(page, SECOND_ADMIN);
  await openModels();
  const request = page.getByRole('article', { name: new RegExp(`^Request \\d+: ${candidateVersion}$`) });
  await request.getByRole('button', { name: `Approve ${candidateVersion}` }).click();
  await page
    .getByRole('dialog', { name: `Approve the promotion of ${candidateVersion}?` })
    .getByRole('button', { name: 'Approve' })
    .click();
  await expect(page.getByText(`${candidateVersion} is now in production.`)).toBeVisible();
  await expect(page.getByText(`In production: ${candidateVersion}`)).toBeVisible();
  const audit = (await callFromPage(page, 'auditLog', {})) as unknown as {
    value: { events: { actor: string; action: string }[] };
  };
  const modelEvents = audit.value.events
    .filter((e) => e.action.startsWith('model.'))
    .map((e) => `${e.actor} ${e.action}`)
    .reverse();
  expect(modelEvents).toEqual([
    `${ADMIN.username} model.promotion-requested`,
    `${SECOND_ADMIN.username} model.promotion-approved`,
    `${SECOND_ADMIN.username} model.promoted`,
  ]);
});
