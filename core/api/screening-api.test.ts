import { describe, expect, expectTypeOf, test } from 'vitest';
import { checkAccess } from './access';
import { type ApiTransport, createApiClient } from './api-client';
import type { BatchSummary, SessionInfo, WorklistPage } from './outputs';
import type { Result } from './result';
import {
  channelOf,
  type InputOf,
  METHOD_NAMES,
  type OutputOf,
  type ParsedInputOf,
  type ScreeningApi,
  screeningContract,
} from './screening-api';

describe('contract types', () => {
  test('each method takes one argument and resolves to a Result of its output', () => {
    expectTypeOf<ScreeningApi['signIn']>().parameters.toEqualTypeOf<[{ username: string; password: string }]>();
    expectTypeOf<ScreeningApi['signIn']>().returns.toEqualTypeOf<Promise<Result<SessionInfo>>>();
    expectTypeOf<OutputOf<'worklistPage'>>().toEqualTypeOf<WorklistPage>();
    expectTypeOf<OutputOf<'listBatches'>>().toEqualTypeOf<BatchSummary[]>();
  });

  test('defaults are optional for callers and filled in for implementations', () => {
    expectTypeOf<InputOf<'listBatches'>>().toEqualTypeOf<{ limit?: number; offset?: number }>();
    expectTypeOf<ParsedInputOf<'listBatches'>>().toEqualTypeOf<{ limit: number; offset: number }>();
  });

  test('misuse does not compile', () => {
    const api = {} as ScreeningApi;
    // @ts-expect-error: a method that is not in the contract
    void api.deleteEverything;
    // @ts-expect-error: the argument is required (one plain object)
    void (() => api.signIn());
    // @ts-expect-error: wrong field type
    void (() => api.markReviewed({ batchId: 'b1', patientId: 'P1', note: 42 }));
    // @ts-expect-error: role must be one of the two roles
    void (() => api.createUser({ username: 'ann', password: 'x'.repeat(12), role: 'root' }));
    expect(true).toBe(true);
  });

  test('a result must be narrowed before its value is read', () => {
    const result = { ok: true, value: null } as Result<null>;
    // @ts-expect-error: value only exists on the ok branch
    void result.value;
    if (result.ok) expectTypeOf(result.value).toEqualTypeOf<null>();
    expect(result.ok).toBe(true);
  });
});

describe('contract data', () => {
  test('channel names are derived from the method names and unique', () => {
    const channels = METHOD_NAMES.map((name) => channelOf(name));
    expect(new Set(channels).size).toBe(METHOD_NAMES.length);
    expect(channelOf('importBatch')).toBe('glucoscreen:importBatch');
  });

  test('administrative methods require the admin role, the clinical workflow the clinician role', () => {
    expect(screeningContract.createUser.access).toBe('admin');
    expect(screeningContract.listUsers.access).toBe('admin');
    expect(screeningContract.auditLog.access).toBe('admin');
    for (const name of ['importBatch', 'worklistPage', 'markReviewed', 'quickScore', 'exportWorklist'] as const) {
      expect(screeningContract[name].access).toBe('clinician');
    }
    expect(screeningContract.signIn.access).toBe('public');
    expect(screeningContract.unlock.access).toBe('session');
  });

  test('argument schemas reject unknown keys and wrong shapes', () => {
    const signIn = screeningContract.signIn.input;
    expect(signIn.safeParse({ username: 'ann', password: 'pw' }).success).toBe(true);
    expect(signIn.safeParse({ username: 'ann', password: 'pw', role: 'admin' }).success).toBe(false);
    expect(signIn.safeParse({ username: 'a/b', password: 'pw' }).success).toBe(false);
    const importArg = screeningContract.importBatch.input;
    expect(importArg.safeParse({ operationId: 'op1', fileName: '../etc/passwd', content: '' }).success).toBe(false);
    expect(screeningContract.worklistPage.input.safeParse({ batchId: 'b1', offset: 0, limit: 100_000 }).success).toBe(
      false,
    );
  });

  test('the worklist query defaults to High first', () => {
    const parsed = screeningContract.worklistPage.input.parse({ batchId: 'b1', offset: 0, limit: 50 });
    expect(parsed.query.sort).toEqual([{ column: 'risk', direction: 'desc' }]);
    expect(parsed.query.reviewed).toBe('all');
  });

  test('quick score takes every raw feature under the batch rules', () => {
    const features = {
      Pregnancies: 2,
      Glucose: 140,
      BloodPressure: 0,
      SkinThickness: 0,
      Insulin: 0,
      BMI: 31.2,
      DiabetesPedigreeFunction: 0.4,
      Age: 45,
    };
    expect(screeningContract.quickScore.input.safeParse({ features }).success).toBe(true);
    const { Age: _age, ...withoutAge } = features;
    expect(screeningContract.quickScore.input.safeParse({ features: withoutAge }).success).toBe(false);
    expect(screeningContract.quickScore.input.safeParse({ features: { ...features, Age: Number.NaN } }).success).toBe(
      false,
    );
    expect(screeningContract.quickScore.input.safeParse({ features: { ...features, Age: 121 } }).success).toBe(false);
    expect(screeningContract.quickScore.input.safeParse({ features: { ...features, Glucose: -1 } }).success).toBe(
      false,
    );
    expect(screeningContract.quickScore.input.safeParse({ features: { ...features, Pregnancies: 1.5 } }).success).toBe(
      false,
    );
  });
});

describe('access rule', () => {
  const clinician = { role: 'clinician' as const, locked: false };
  const admin = { role: 'admin' as const, locked: false };
  test.each([
    ['public', null, true],
    ['session', null, 'unauthenticated'],
    ['clinician', null, 'unauthenticated'],
    ['clinician', clinician, true],
    ['clinician', admin, true],
    ['clinician', { ...clinician, locked: true }, 'locked'],
    ['session', { ...clinician, locked: true }, true],
    ['admin', clinician, 'forbidden'],
    ['admin', admin, true],
    ['admin', { ...admin, locked: true }, 'locked'],
  ] as const)('%s with %o -> %s', (access, session, expected) => {
    const decision = checkAccess(access, session);
    expect(decision.allowed ? true : decision.code).toBe(expected);
  });
});

describe('api client', () => {
  test('forwards every method to the transport and turns transport faults into values', async () => {
    const calls: string[] = [];
    const transport: ApiTransport = {
      call: async (name) => {
        calls.push(name);
        if (name === 'listBatches') throw new Error('host stopped');
        return { ok: true, value: null };
      },
      subscribe: () => () => {},
    };
    const { api } = createApiClient(transport);
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES].sort());
    expect(await api.signOut({})).toEqual({ ok: true, value: null });
    const failed = await api.listBatches({});
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.code).toBe('internal');
    expect(calls).toEqual(['signOut', 'listBatches']);
  });
});
