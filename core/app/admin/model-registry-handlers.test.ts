import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ModelList } from '../../api/admin-outputs';
import { defaultConfig } from '../../config/app-config';
import { bumpVersion } from '../../registry/semver';
import { contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp, writeTestBundle } from '../test-support/test-app';

let scratch: string;
const apps: TestApp[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-registry-app-'));
});
afterAll(() => {
  for (const app of apps) app.close();
  rmSync(scratch, { recursive: true, force: true });
});

const LOW = 'experiments/model_20260103_000000';

/** The test app with two admins, and an experiment one version above production whose recall is below 0.85. */
async function appWithCandidate(requireSecondApprover = false) {
  const config = defaultConfig();
  config.models.requireSecondApprover = requireSecondApprover;
  const app = await createTestApp(mkdtempSync(join(scratch, 'app-')), { config });
  apps.push(app);
  const call = contractCaller(() => app);
  const alice = app.newSession();
  value(await call(alice, 'createAdmin', { username: 'alice', password: 'correct horse 1' }));
  value(await call(alice, 'createUser', { username: 'bob', password: 'battery staple 2', role: 'admin' }));
  const bob = app.newSession();
  value(await call(bob, 'signIn', { username: 'bob', password: 'battery staple 2' }));
  const production = value(await call(alice, 'listModels', {})).productionVersion as string;
  const candidate = bumpVersion(production, 'minor');
  await writeTestBundle(join(app.dataDir, 'models', LOW), { version: candidate, threshold: 0.85 });
  return { app, call, alice, bob, production, candidate };
}

const row = (list: ModelList, id: string) => list.versions.find((v) => v.id === id);
const actionsOf = (list: ModelList) =>
  list.versions.map((v) => {
    const offered = [
      v.canPromote && 'promote',
      v.canRestore && 'restore',
      v.canRollBack && 'roll back',
      v.canArchive && 'archive',
    ];
    return `${v.id}: ${offered.filter(Boolean).join(', ')}`;
  });

describe('the Models view through the contract', () => {
  test('the gates are shown first; a failing one refuses the promotion until a reason is given', async () => {
    const { call, alice, production, candidate } = await appWithCandidate();
    const preview = value(await call(alice, 'promotionGates', { modelId: LOW }));
    expect(preview).toMatchObject({
      version: candidate,
      productionVersion: production,
      blocked: true,
      needsReason: true,
    });
    const recall = preview.results.find((r) => r.gate === 'recall-target');
    expect(recall?.status).toBe('fail');
    expect(recall?.message).toMatch(
      /^recall-target: recall 0\.\d{3} on its held-out test set is below the target 0\.850$/,
    );

    const refused = await call(alice, 'promoteModel', { modelId: LOW, confirmed: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!refused.ok && refused.error.message).toContain(recall?.message);
    const reason = 'Validated on 300 local patients by the central site';
    const promoted = value(
      await call(alice, 'promoteModel', { modelId: LOW, confirmed: true, overrideReason: reason }),
    );
    expect([promoted.productionVersion, promoted.backupVersion]).toEqual([candidate, production]);
    const audit = value(await call(alice, 'auditLog', { action: 'model.gates-overridden' }));
    expect(audit.events.map((e) => [e.actor, e.subject, (e.details as { reason?: string }).reason])).toEqual([
      ['alice', candidate, reason],
    ]);
  });

  test('only valid actions per row: after a promotion the backup offers roll back and nothing else', async () => {
    const { call, alice, production, candidate } = await appWithCandidate();
    const before = value(await call(alice, 'listModels', {}));
    expect(actionsOf(before)).toEqual(['production: ', `${LOW}: promote, archive`]);
    const after = value(
      await call(alice, 'promoteModel', {
        modelId: LOW,
        confirmed: true,
        overrideReason: 'accepted for this test run',
      }),
    );
    expect(actionsOf(after)).toEqual(['production: ', 'production_backup: roll back', `${LOW}: archive`]);
    expect(row(after, 'production_backup')?.version).toBe(production);
    // Promoting the backup is refused by core too, whatever a client offers.
    expect(await call(alice, 'promoteModel', { modelId: 'production_backup', confirmed: true })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'The backup is restored by rolling back, not by promoting it.' },
    });
    // A lower version is refused with the reason: roll back, or restore from the archive with a written reason.
    const archived = value(await call(alice, 'archiveModel', { modelId: LOW, confirmed: true }));
    expect(actionsOf(archived)).toEqual([
      'production: ',
      'production_backup: roll back',
      `archive/model_20260103_000000: `,
    ]);
    const rolledBack = value(await call(alice, 'rollbackModel', { confirmed: true }));
    expect(rolledBack.productionVersion).toBe(production);
    expect(actionsOf(rolledBack)).toEqual([
      'production: ',
      'production_backup: roll back',
      'archive/model_20260103_000000: promote',
    ]);
    expect(row(rolledBack, 'production_backup')?.version).toBe(candidate);
  });

  test('an archived version older than production is offered as a restore, refused without a reason', async () => {
    const { app, call, alice, production } = await appWithCandidate();
    value(
      await call(alice, 'promoteModel', {
        modelId: LOW,
        confirmed: true,
        overrideReason: 'accepted for this test run',
      }),
    );
    const newer = bumpVersion(bumpVersion(production, 'minor'), 'minor');
    await writeTestBundle(join(app.dataDir, 'models/experiments/model_20260104_000000'), {
      version: newer,
      threshold: 0.25,
    });
    const list = value(
      await call(alice, 'promoteModel', { modelId: 'experiments/model_20260104_000000', confirmed: true }),
    );
    // The first production went to the archive when the second promotion made a new backup.
    const old = list.versions.find((v) => v.location === 'archive' && v.version === production);
    expect(old).toMatchObject({ canRestore: true, canPromote: false });
    const refused = await call(alice, 'promoteModel', { modelId: old?.id ?? '', confirmed: true });
    expect(!refused.ok && refused.error.message).toMatch(
      new RegExp(`version: ${production} is older than production ${newer}`),
    );
    const restored = value(
      await call(alice, 'promoteModel', {
        modelId: old?.id ?? '',
        confirmed: true,
        overrideReason: `${newer} misses cases here; restoring ${production}`,
      }),
    );
    expect(restored.productionVersion).toBe(production);
  });

  test('two-person rule: pending for the requester, approved by the other admin, then in production', async () => {
    const { call, alice, bob, production, candidate } = await appWithCandidate(true);
    const requested = value(
      await call(alice, 'promoteModel', { modelId: LOW, confirmed: true, overrideReason: 'central site validated it' }),
    );
    expect(requested.productionVersion).toBe(production);
    expect(requested.requireSecondApprover).toBe(true);
    expect(requested.pendingPromotions).toMatchObject([
      { modelId: LOW, version: candidate, requestedBy: 'alice', overrideReason: 'central site validated it' },
    ]);
    const requestId = requested.pendingPromotions[0].requestId;
    expect(await call(alice, 'approvePromotion', { requestId, confirmed: true })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'alice requested this promotion and cannot also approve it.' },
    });
    const approved = value(await call(bob, 'approvePromotion', { requestId, confirmed: true }));
    expect(approved.productionVersion).toBe(candidate);
    expect(approved.pendingPromotions).toEqual([]);
    const audit = value(await call(bob, 'auditLog', {}));
    const modelEvents = audit.events
      .filter((e) => e.action.startsWith('model.'))
      .map((e) => `${e.actor} ${e.action}`)
      .reverse();
    expect(modelEvents).toEqual([
      'alice model.gates-overridden',
      'alice model.promotion-requested',
      'bob model.promotion-approved',
      'bob model.promoted',
    ]);
  });

  test('export then import through the contract; a changed file is refused naming it', async () => {
    const { call, alice, candidate } = await appWithCandidate();
    const exported = value(await call(alice, 'exportModel', { modelId: LOW }));
    expect(exported).toMatchObject({ fileName: `glucoscreen-model-${candidate}.json`, mimeType: 'application/json' });
    value(await call(alice, 'archiveModel', { modelId: LOW, confirmed: true }));
    const other = await appWithCandidate();
    rmSync(join(other.app.dataDir, 'models', LOW), { recursive: true });
    const doc = JSON.parse(exported.content);
    const bytes = Buffer.from(doc.contents['preprocessing.json'], 'base64');
    bytes[5] ^= 0x04;
    doc.contents['preprocessing.json'] = bytes.toString('base64');
    const refused = await other.call(other.alice, 'importModel', { fileName: 'x.json', content: JSON.stringify(doc) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!refused.ok && refused.error.message).toMatch(
      /^Not imported: preprocessing\.json: sha256 .* the file was changed$/,
    );
    const imported = value(
      await other.call(other.alice, 'importModel', { fileName: 'x.json', content: exported.content }),
    );
    expect(row(imported, `experiments/imported-${candidate}`)).toMatchObject({ version: candidate, canPromote: true });
  });
});
