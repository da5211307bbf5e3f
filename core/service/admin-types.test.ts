import { expectTypeOf, test } from 'vitest';
import type { DriftMethod } from '../api/drift-types';
import type { AlertRecord as ContractAlertRecord } from '../api/monitoring-types';
import type { DRIFT_METHODS } from '../drift/drift-method';
import type { AlertRecord as StoredAlertRecord } from '../store/store-types';

// The report types are defined once, in core/api, and core computes values of them. Two facts the compiler cannot
// see from one declaration remain; these checks fail to compile when either side changes without the other.
test('the run-time list of drift methods (the config enum) names exactly the methods of the contract', () => {
  // `satisfies` in drift-method.ts stops a method outside the contract; this stops one missing from the list.
  expectTypeOf<(typeof DRIFT_METHODS)[number]>().toEqualTypeOf<DriftMethod>();
});

test("the store's alert record is the contract's (core/store still declares its own copy)", () => {
  expectTypeOf<StoredAlertRecord>().toEqualTypeOf<ContractAlertRecord>();
});
