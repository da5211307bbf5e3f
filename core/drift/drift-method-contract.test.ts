import { expectTypeOf, test } from 'vitest';
import type { DriftMethod } from '../api/drift-types';
import type { DRIFT_METHODS } from './drift-method';

// The report types are defined once, in core/api, and core computes values of them. One fact the compiler cannot
// see from one declaration remains; this check fails to compile when either side changes without the other.
test('the run-time list of drift methods (the config enum) names exactly the methods of the contract', () => {
  // `satisfies` in drift-method.ts stops a method outside the contract; this stops one missing from the list.
  expectTypeOf<(typeof DRIFT_METHODS)[number]>().toEqualTypeOf<DriftMethod>();
});
