/**
 * The batch validator's column list and cell rules, for the renderer's as-you-type checks. Re-exported here because
 * the renderer may import only the contract (core/api), and quick score must check exactly as a batch import does.
 */
export { FEATURE_COLUMNS, FEATURE_UNITS, type FeatureName, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
export { checkFeatureCell, checkPatientId, isImplausible, RULE_DESCRIPTIONS } from '../schema/rules';
