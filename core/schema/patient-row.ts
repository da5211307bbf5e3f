import { z } from 'zod';
import { FEATURE_COLUMNS, type FeatureName, ID_COLUMN, OUTCOME_COLUMN } from './columns';
import { COLUMN_RULES, PATIENT_ID_MAX_LENGTH } from './rules';

function featureSchema(column: FeatureName) {
  const rule = COLUMN_RULES[column];
  let schema = z.number({ error: `${column}: the value must be a number` }).finite();
  if (rule.integer) schema = schema.int({ error: `${column}: the value must be a whole number` });
  schema = schema.min(0, { error: `${column}: the value must not be negative` });
  schema = schema.max(rule.max, { error: `${column} must be between ${rule.min} and ${rule.max}` });
  return schema;
}

const featureShape = Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, featureSchema(c)])) as {
  [K in FeatureName]: z.ZodNumber;
};

/** One screening input row: the contract shared by quick score, the IPC layer and the tests of the fast validator. */
export const PatientRowSchema = z.object({
  [ID_COLUMN]: z
    .string()
    .trim()
    .min(1, { error: 'patient_id is required' })
    .max(PATIENT_ID_MAX_LENGTH, { error: `patient_id must be at most ${PATIENT_ID_MAX_LENGTH} characters` }),
  ...featureShape,
});

/** A historical training row: the features plus the 0/1 outcome (the Pima file carries no patient_id). */
export const TrainingRowSchema = z.object({
  ...featureShape,
  [OUTCOME_COLUMN]: z.union([z.literal(0), z.literal(1)], { error: 'Outcome must be 0 or 1' }),
});
