// The test model lives in core/testing/test-model.ts; this path stays only for core/service/test-support/test-app.ts
// until that folder imports core/testing directly.
export { PIMA_PATH } from '../../testing/pima';
export { buildTestModelParts } from '../../testing/test-model';
