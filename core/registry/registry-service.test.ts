import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeTestBundle } from '../app/test-support/test-app';
import { defaultConfig, type ModelsConfig } from '../config/app-config';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import type { ShadowEvidence } from './promotion-gates';
import { createRegistryService, type RegistryService } from './registry-service';

let scratch: string;
const stores: Store[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-registry-service-'));
});
afterAll(() => {
  for (const store of stores) store.close();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * A registry with production v1.0.0 and two experiments of the test model: v1.1.0 at a low threshold (high recall)
 * and v1.2.0 at a high threshold (low recall). Their recall is measured on the Pima file when written.
 */
async function registry(
  policy: Partial<ModelsConfig> = {},
  shadow?: (version: string) => ShadowEvidence,
): Promise<{ service: RegistryService; store: Store; root: string; changes: () => number }> {
  const dir = mkdtempSync(join(scratch, 'r-'));
  const root = join(dir, 'models');
  await writeTestBundle(join(root, 'production'), { version: 'v1.0.0', threshold: 0.4 });
  await writeTestBundle(join(root, 'experiments/model_20260101_000000'), { version: 'v1.1.0', threshold: 0.25 });
  await writeTestBundle(join(root, 'experiments/model_20260102_000000'), { version: 'v1.2.0', threshold: 0.85 });
  const store = openStore(join(dir, 'glucoscreen.db'));
  stores.push(store);
  let changed = 0;
  const service = createRegistryService({
    modelsRoot: root,
    store,
    policy: { ...defaultConfig().models, ...policy },
    shadowEvidenceFor: shadow,
    onModelChanged: () => changed++,
  });
  return { service, store, root, changes: () => changed };
}

const recallOf = (root: string, id: string): number =>
  JSON.parse(readFileSync(join(root, id, 'metadata.json'), 'utf8')).test_metrics.recall;
const actions = (store: Store) => store.audit.list().map((e) => `${e.actor} ${e.action} ${e.subject}`);
const HIGH = 'experiments/model_20260101_000000';
const LOW = 'experiments/model_20260102_000000';

describe('the registry service: gates, overrides, two-person rule, archive, export and import', () => {
  test('the fixtures measure what the gates need: one candidate above the target recall, one below', async () => {
    const { root } = await registry();
    expect(recallOf(root, HIGH)).toBeGreaterThanOrEqual(0.85);
    expect(recallOf(root, LOW)).toBeLessThan(0.85);
  });

  test('a candidate above the target is promoted at once and audited with its gates', async () => {
    const { service, store, changes } = await registry();
    const report = await service.gates('v1.1.0');
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'not-applicable']);
    expect(await service.promote('v1.1.0', 'alice')).toMatchObject({ outcome: 'promoted', version: 'v1.1.0' });
    expect(service.productionVersion()).toBe('v1.1.0');
    expect(changes()).toBe(1);
    const promoted = store.audit.list({ action: 'model.promoted' })[0];
    expect(promoted.details).toMatchObject({ before: { production: 'v1.0.0' }, after: { production: 'v1.1.0' } });
  });

  test('below the target: refused (audited, production unchanged) without a reason; with one, promoted', async () => {
    const { service, store, root } = await registry();
    const recall = recallOf(root, LOW).toFixed(3);
    await expect(service.promote(LOW, 'alice')).rejects.toThrow(
      `Not promoted: recall-target: recall ${recall} on its held-out test set is below the target 0.850. An admin may override with a written reason.`,
    );
    await expect(service.promote(LOW, 'alice', 'too short')).rejects.toThrow(/at least 10 characters/);
    expect(service.productionVersion()).toBe('v1.0.0');
    const reason = 'Central site validated v1.2.0 on local patients';
    expect(await service.promote(LOW, 'alice', reason)).toMatchObject({ outcome: 'promoted' });
    expect(actions(store)).toEqual([
      'alice model.promote-refused v1.2.0',
      'alice model.promote-refused v1.2.0',
      'alice model.gates-overridden v1.2.0',
      'alice model.promoted v1.2.0',
    ]);
    const overridden = store.audit.list({ action: 'model.gates-overridden' })[0];
    expect(overridden.details).toMatchObject({ reason, gates: [{ gate: 'recall-target', status: 'fail' }] });
    expect(store.audit.list({ action: 'model.promoted' })[0].details).toMatchObject({
      overrideReason: reason,
      overriddenGates: ['recall-target'],
    });
  });

  test('the target recall is configurable', async () => {
    const { service } = await registry({ targetRecall: 0.05 });
    expect((await service.gates(LOW)).blocked).toBe(false);
  });

  test("shadow evidence: below production's recall on enough labelled patients is refused; too few are not judged", async () => {
    const evidence = { labelledPatients: 120, productionRecall: 0.9, candidateRecall: 0.86 };
    const { service } = await registry({ minShadowLabels: 100 }, (v) => (v === 'v1.1.0' ? evidence : null));
    await expect(service.promote(HIGH, 'alice')).rejects.toThrow(
      "shadow-recall: recall 0.860 against production's 0.900 on 120 labelled patients: below production",
    );
    const few = await registry({ minShadowLabels: 121 }, () => evidence);
    const report = await few.service.gates(HIGH);
    expect(report.results.find((r) => r.gate === 'shadow-recall')?.status).toBe('not-applicable');
    expect(report.blocked).toBe(false);
  });

  test('an older version: production and the backup are refused outright; an archived one needs a reason', async () => {
    const { service, store } = await registry();
    await service.promote(HIGH, 'alice');
    await expect(service.promote('production', 'alice')).rejects.toThrow('production is already in production.');
    await expect(service.promote('production_backup', 'alice', 'a reason that is long')).rejects.toThrow(
      'The backup is restored by rolling back, not by promoting it.',
    );
    await service.promote(LOW, 'alice', 'validated elsewhere, see ticket');
    // v1.0.0 was the backup of v1.1.0, and went to the archive when v1.2.0 was promoted.
    const archived = service.list().find((v) => v.location === 'archive');
    expect(archived?.metadata?.version).toBe('v1.0.0');
    await expect(service.promote(archived?.id ?? '', 'alice')).rejects.toThrow(
      /version: v1.0.0 is older than production v1.2.0/,
    );
    await service.promote(archived?.id ?? '', 'alice', 'v1.2.0 misses cases in our clinic; restoring v1.0.0');
    expect(service.productionVersion()).toBe('v1.0.0');
    const override = store.audit.list({ action: 'model.gates-overridden' }).at(-1);
    expect(override?.details.gates).toEqual(expect.arrayContaining([expect.objectContaining({ gate: 'version' })]));
  });

  test('two-person rule: a request waits for another admin; the requester cannot approve it', async () => {
    const { service, store } = await registry({ requireSecondApprover: true });
    const pending = await service.promote(HIGH, 'alice');
    if (pending.outcome !== 'pending') throw new Error('expected a pending request');
    expect(service.productionVersion()).toBe('v1.0.0');
    expect(service.pendingRequests().map((r) => [r.modelId, r.requestedBy])).toEqual([[HIGH, 'alice']]);
    await expect(service.promote(HIGH, 'carol')).rejects.toThrow(/already has a pending promotion request/);
    await expect(service.approve(pending.request.id, 'alice')).rejects.toThrow(
      'alice requested this promotion and cannot also approve it.',
    );
    expect(await service.approve(pending.request.id, 'bob')).toMatchObject({ outcome: 'promoted', version: 'v1.1.0' });
    expect(service.pendingRequests()).toEqual([]);
    await expect(service.approve(pending.request.id, 'carol')).rejects.toThrow(/was approved already/);
    expect(actions(store)).toEqual([
      'alice model.promotion-requested v1.1.0',
      'bob model.promotion-approved v1.1.0',
      'bob model.promoted v1.1.0',
    ]);
    expect(store.audit.list({ action: 'model.promoted' })[0].details).toMatchObject({
      approvedBy: 'bob',
      requestId: pending.request.id,
    });
  });

  test('two-person rule: a rejected request is closed; a bundle changed after the request is never approved', async () => {
    const { service, store, root } = await registry({ requireSecondApprover: true });
    const first = await service.promote(HIGH, 'alice');
    if (first.outcome !== 'pending') throw new Error('expected a pending request');
    expect(service.reject(first.request.id, 'bob', 'wait for the new labels').status).toBe('rejected');
    await expect(service.approve(first.request.id, 'bob')).rejects.toThrow(/was rejected already/);
    const second = await service.promote(HIGH, 'alice');
    if (second.outcome !== 'pending') throw new Error('expected a pending request');
    const metadataPath = join(root, HIGH, 'metadata.json');
    writeFileSync(
      metadataPath,
      readFileSync(metadataPath, 'utf8').replace('"optimal_threshold": 0.25', '"optimal_threshold": 0.2'),
    );
    await expect(service.approve(second.request.id, 'bob')).rejects.toThrow(
      `${HIGH} changed since the request; reject it and request again.`,
    );
    expect(service.productionVersion()).toBe('v1.0.0');
    expect(actions(store)).toContain('bob model.promotion-rejected v1.1.0');
  });

  test('two-person rule with an override: the reason is kept and shown to the approver', async () => {
    const { service, store } = await registry({ requireSecondApprover: true });
    const request = await service.promote(LOW, 'alice', 'validated at the central site on 2k patients');
    if (request.outcome !== 'pending') throw new Error('expected a pending request');
    expect(request.request.overrideReason).toBe('validated at the central site on 2k patients');
    await expect(service.promote(LOW, 'carol', 'a second reason for the same model')).rejects.toThrow(
      /already has a pending promotion request/,
    );
    await service.approve(request.request.id, 'bob');
    expect(service.productionVersion()).toBe('v1.2.0');
    // The refused second request left no override behind.
    expect(actions(store).filter((a) => a.includes('gates-overridden'))).toEqual([
      'alice model.gates-overridden v1.2.0',
    ]);
  });

  test('two-person rule: an approved promotion that fails on disk is audited as failed, production unchanged', async () => {
    const { service, store, root } = await registry({ requireSecondApprover: true });
    const first = await service.promote(HIGH, 'alice');
    if (first.outcome !== 'pending') throw new Error('expected a pending request');
    await service.approve(first.request.id, 'bob');
    const second = await service.promote(LOW, 'alice', 'validated at the central site on 2k patients');
    if (second.outcome !== 'pending') throw new Error('expected a pending request');
    // The registry cannot write its journal (its temporary file's name is taken by a folder): nothing moves.
    mkdirSync(join(root, '.registry-journal.json.tmp', 'blocked'), { recursive: true });
    await expect(service.approve(second.request.id, 'bob')).rejects.toThrow(/^Approved, but not promoted: EISDIR/);
    expect(service.productionVersion()).toBe('v1.1.0');
    expect(actions(store).slice(-2)).toEqual([
      'bob model.promotion-approved v1.2.0',
      'bob model.promote-failed v1.2.0',
    ]);
  });

  test('archive moves an experiment out of the list of candidates; production and the backup stay', async () => {
    const { service, store } = await registry();
    expect(service.archive(LOW, 'alice')).toEqual({ from: LOW, to: 'archive/model_20260102_000000' });
    expect(service.list().map((v) => v.id)).toEqual(['production', HIGH, 'archive/model_20260102_000000']);
    expect(() => service.archive('production', 'alice')).toThrow(/cannot be archived/);
    expect(() => service.archive('archive/model_20260102_000000', 'alice')).toThrow(/archived already/);
    expect(store.audit.list({ action: 'model.archived' })[0].details).toEqual({
      before: { location: LOW },
      after: { location: 'archive/model_20260102_000000' },
    });
  });

  test('rollback swaps production and the backup and is audited', async () => {
    const { service, store } = await registry();
    await expect(service.rollback('alice')).rejects.toThrow(/there is no production_backup/);
    await service.promote(HIGH, 'alice');
    expect(await service.rollback('bob')).toEqual({ version: 'v1.0.0', previous: 'v1.1.0' });
    expect(actions(store).at(-1)).toBe('bob model.rolled-back v1.0.0');
  });

  test('export from one clinic, import at another; a known version and a changed file are refused and audited', async () => {
    const central = await registry();
    const exported = await central.service.exportModel('v1.1.0', 'central');
    expect(exported.fileName).toBe('glucoscreen-model-v1.1.0.json');
    expect(actions(central.store)).toEqual(['central model.exported v1.1.0']);

    const clinic = await registry();
    await expect(clinic.service.importModel('m.json', exported.text, 'admin')).rejects.toThrow(
      `Not imported: m.json: v1.1.0 is installed already (${HIGH})`,
    );
    clinic.service.archive(HIGH, 'admin');
    rmSync(join(clinic.root, 'archive'), { recursive: true });
    expect(await clinic.service.importModel('m.json', exported.text, 'admin')).toEqual({
      version: 'v1.1.0',
      id: 'experiments/imported-v1.1.0',
    });
    expect((await clinic.service.gates('experiments/imported-v1.1.0')).blocked).toBe(false);

    const doc = JSON.parse(exported.text);
    const bytes = Buffer.from(doc.contents['trees.json'], 'base64');
    bytes[10] ^= 0x20;
    doc.contents['trees.json'] = bytes.toString('base64');
    await expect(clinic.service.importModel('tampered.json', JSON.stringify(doc), 'admin')).rejects.toThrow(
      /^Not imported: trees\.json: sha256 .* the file was changed$/,
    );
    expect(actions(clinic.store)).toEqual([
      'admin model.import-refused m.json',
      'admin model.archived v1.1.0',
      'admin model.imported v1.1.0',
      'admin model.import-refused tampered.json',
    ]);
  });
});
