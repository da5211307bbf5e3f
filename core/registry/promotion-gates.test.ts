import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PRODUCTION_MODEL_DIR } from '../app/test-support/test-app';
import { type ModelMetadata, ModelMetadataSchema } from './model-metadata';
import { decide, evaluateGates, evaluationOf, type GateInput, type GateResult } from './promotion-gates';

const base: GateInput = {
  candidateVersion: 'v1.4.0',
  bundleProblem: null,
  evaluation: { recall: 0.9, source: 'held-out test set' },
  productionVersion: 'v1.3.0',
  targetRecall: 0.85,
  shadow: null,
  minShadowLabels: 50,
};

const gate = (results: GateResult[], name: GateResult['gate']) => results.find((r) => r.gate === name) as GateResult;

describe('promotion gates', () => {
  test('a newer, intact candidate above the target passes; no shadow evidence is said so, not failed', () => {
    const results = evaluateGates(base);
    expect(results.map((r) => [r.gate, r.status])).toEqual([
      ['bundle', 'pass'],
      ['version', 'pass'],
      ['recall-target', 'pass'],
      ['shadow-recall', 'not-applicable'],
    ]);
    expect(gate(results, 'shadow-recall').message).toBe('shadow-recall: no shadow evidence yet');
    expect(decide(results, null)).toEqual({ allowed: true, overridden: [] });
  });

  test('recall below the target fails with both figures and can be overridden only with a written reason', () => {
    const results = evaluateGates({ ...base, evaluation: { recall: 0.8125, source: 'validation estimate' } });
    expect(gate(results, 'recall-target')).toEqual({
      gate: 'recall-target',
      status: 'fail',
      overridable: true,
      message: 'recall-target: recall 0.813 on its validation estimate is below the target 0.850',
    });
    expect(decide(results, null)).toMatchObject({ allowed: false, needsReason: true });
    expect(decide(results, '   too short ')).toMatchObject({ allowed: false, needsReason: true });
    const overridden = decide(results, 'Central site validated it on 2,000 local patients');
    expect(overridden).toMatchObject({ allowed: true });
    expect(overridden.allowed && overridden.overridden.map((r) => r.gate)).toEqual(['recall-target']);
  });

  test('exactly the target passes; a configured target is used', () => {
    expect(
      gate(evaluateGates({ ...base, evaluation: { recall: 0.85, source: 'held-out test set' } }), 'recall-target')
        .status,
    ).toBe('pass');
    expect(gate(evaluateGates({ ...base, targetRecall: 0.95 }), 'recall-target').status).toBe('fail');
  });

  test('a bundle without a recall fails the recall gate', () => {
    const results = evaluateGates({ ...base, evaluation: { recall: null, source: null } });
    expect(gate(results, 'recall-target').message).toMatch(/records no recall/);
  });

  test('shadow evidence: compared only from the minimum of labelled patients, then below production fails', () => {
    const few = evaluateGates({
      ...base,
      shadow: { labelledPatients: 49, productionRecall: 0.9, candidateRecall: 0.7 },
    });
    expect(gate(few, 'shadow-recall')).toMatchObject({ status: 'not-applicable' });
    expect(gate(few, 'shadow-recall').message).toMatch(/only 49 labelled patients.*at least 50/);
    const worse = evaluateGates({
      ...base,
      shadow: { labelledPatients: 50, productionRecall: 0.9, candidateRecall: 0.88 },
    });
    expect(gate(worse, 'shadow-recall')).toMatchObject({
      status: 'fail',
      overridable: true,
      message: "shadow-recall: recall 0.880 against production's 0.900 on 50 labelled patients: below production",
    });
    expect(decide(worse, null)).toMatchObject({ allowed: false, needsReason: true });
    const equal = evaluateGates({
      ...base,
      shadow: { labelledPatients: 80, productionRecall: 0.9, candidateRecall: 0.9 },
    });
    expect(gate(equal, 'shadow-recall').status).toBe('pass');
  });

  test('an older version is refused unless a reason is given; the same version and a changed bundle never', () => {
    const older = evaluateGates({ ...base, candidateVersion: 'v1.2.0' });
    expect(gate(older, 'version')).toMatchObject({ status: 'fail', overridable: true });
    expect(gate(older, 'version').message).toMatch(/v1.2.0 is older than production v1.3.0/);
    expect(decide(older, 'Restoring v1.2.0 while v1.3.0 is investigated').allowed).toBe(true);

    const same = evaluateGates({ ...base, candidateVersion: 'v1.3.0' });
    expect(decide(same, 'a long enough reason here')).toMatchObject({ allowed: false, needsReason: false });

    const broken = evaluateGates({ ...base, bundleProblem: 'model bundle model.onnx: sha256 ... does not match' });
    expect(gate(broken, 'bundle').message).toMatch(/^bundle: model bundle model.onnx/);
    expect(decide(broken, 'a long enough reason here')).toMatchObject({ allowed: false, needsReason: false });
  });

  test('no production model: any intact version passes the version gate', () => {
    expect(gate(evaluateGates({ ...base, productionVersion: null }), 'version').status).toBe('pass');
  });

  test("the committed bundle's evaluation is its held-out test recall", () => {
    const metadata = ModelMetadataSchema.parse(
      JSON.parse(readFileSync(join(PRODUCTION_MODEL_DIR, 'metadata.json'), 'utf8')),
    ) as ModelMetadata;
    expect(evaluationOf(metadata)).toEqual({ recall: metadata.test_metrics.recall, source: 'held-out test set' });
    expect(evaluationOf({ ...metadata, test_metrics: {} })).toEqual({
      recall: metadata.validation_estimates.recall,
      source: 'validation estimate',
    });
  });
});
