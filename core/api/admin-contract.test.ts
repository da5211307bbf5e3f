import { expect, expectTypeOf, test } from 'vitest';
import type { ModelList } from './admin-outputs';
import type { Result } from './result';
import { ADMIN_VIEW_METHODS, type MethodName, type ScreeningApi, screeningContract } from './screening-api';

// The views' methods as the contract groups them, and the audit log, which is an admin view too.
const ADMIN_ONLY: readonly MethodName[] = [...ADMIN_VIEW_METHODS, 'auditLog'];

test('every method of the admin views needs the admin role', () => {
  for (const name of ADMIN_ONLY) expect(screeningContract[name].access, name).toBe('admin');
});

test('promote and roll back need an explicit confirmation in the argument', () => {
  expect(screeningContract.promoteModel.input.safeParse({ modelId: 'experiments/model_1' }).success).toBe(false);
  expect(screeningContract.rollbackModel.input.safeParse({}).success).toBe(false);
  expect(screeningContract.rollbackModel.input.safeParse({ confirmed: true }).success).toBe(true);
});

test('a model is named by its registry id, never by a path', () => {
  const ok = (modelId: string) => screeningContract.modelImportance.input.safeParse({ modelId }).success;
  expect(['production', 'production_backup', 'experiments/model_20260101_000000', 'archive/v1.0.0'].map(ok)).toEqual([
    true,
    true,
    true,
    true,
  ]);
  expect(
    [
      '../production',
      '/etc/passwd',
      'experiments/../../x',
      'experiments/a/b',
      'models/production',
      'experiments/..',
    ].map(ok),
  ).toEqual([false, false, false, false, false, false]);
});

test('the EDA of a loaded file takes its content, not a path', () => {
  const parse = (arg: unknown) => screeningContract.edaReport.input.safeParse(arg).success;
  expect(parse({ source: 'training' })).toBe(true);
  expect(parse({ source: 'file', fileName: 'march.csv', content: 'patient_id\n' })).toBe(true);
  expect(parse({ source: 'file', fileName: '../march.csv', content: '' })).toBe(false);
  expect(parse({ source: 'file', path: '/data/march.csv' })).toBe(false);
});

test('admin methods are typed end to end', () => {
  expectTypeOf<ScreeningApi['promoteModel']>().returns.toEqualTypeOf<Promise<Result<ModelList>>>();
  const api = {} as ScreeningApi;
  // @ts-expect-error: confirmed must be the literal true
  void (() => api.rollbackModel({ confirmed: false }));
  // @ts-expect-error: alert ids are numbers
  void (() => api.acknowledgeAlert({ alertId: '3' }));
});
