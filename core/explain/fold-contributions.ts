/**
 * Folds the 11 model-feature contributions back onto the 8 clinical inputs a clinician entered, additively:
 * the 8 folded values plus the expected value still sum to the raw margin, exactly as the 11 did.
 *
 *   BMI_Category             -> BMI (it is a function of BMI alone)
 *   Age_Group                -> Age (a function of Age alone)
 *   Glucose_BMI_Interaction  -> Glucose and BMI, shares s_G + s_B = 1 (below)
 *   the 8 raw features       -> themselves
 *
 * Interaction rule. The product G x B is explained relative to a reference patient (by default the training
 * medians of Glucose and BMI, which are also what missing values are imputed with). On the log scale the
 * product's deviation splits exactly into the factors' deviations: ln(GB / G0B0) = ln(G/G0) + ln(B/B0). Each factor
 * receives the interaction's contribution in proportion to the SIZE of its own log deviation:
 *   s_G = |ln(G/G0)| / (|ln(G/G0)| + |ln(B/B0)|),  s_B = 1 - s_G,  and 1/2 each when both sit at the reference.
 * Why this rule: it is scale-free (mg/dL vs kg/m² does not matter), gives everything to Glucose when BMI is at the
 * reference and vice versa, and with absolute values the shares stay in [0, 1], so folding never flips the sign
 * of the interaction's effect or amplifies it (a signed split can divide by ~0 when the factors pull opposite ways).
 * Limitation, stated for the model card: when Glucose and BMI deviate in opposite directions, the interaction's
 * effect is shared by the size of each deviation, not its direction (the trees' response to the product need not be
 * monotone, so direction gives no safe rule); the unfolded 11-feature values remain available for audit.
 * A missing Glucose or BMI (NaN, or 0, which the data contract reads as "not measured") counts as at the
 * reference, since the model saw the imputed median there.
 */
import { FEATURE_COLUMNS, type FeatureName, MODEL_FEATURES, type ModelFeatureName } from '../schema/columns';
import { median } from '../util/median';

/** Entries per folded explanation: the 8 inputs in FEATURE_COLUMNS order, then the expected value. */
export const CLINICAL_WIDTH = FEATURE_COLUMNS.length + 1;
const MODEL_WIDTH = MODEL_FEATURES.length + 1;

export interface InteractionReference {
  glucose: number;
  bmi: number;
}

const modelIndex = (name: ModelFeatureName) => MODEL_FEATURES.indexOf(name);
const clinicalIndex = (name: FeatureName) => FEATURE_COLUMNS.indexOf(name);

/** Where each model feature's contribution goes; the interaction is split at run time. */
const DIRECT_TARGET: Record<Exclude<ModelFeatureName, 'Glucose_BMI_Interaction'>, FeatureName> = {
  Pregnancies: 'Pregnancies',
  Glucose: 'Glucose',
  BloodPressure: 'BloodPressure',
  SkinThickness: 'SkinThickness',
  Insulin: 'Insulin',
  BMI: 'BMI',
  DiabetesPedigreeFunction: 'DiabetesPedigreeFunction',
  Age: 'Age',
  BMI_Category: 'BMI',
  Age_Group: 'Age',
};
const DIRECT_PAIRS = (Object.keys(DIRECT_TARGET) as (keyof typeof DIRECT_TARGET)[]).map(
  (name) => [modelIndex(name), clinicalIndex(DIRECT_TARGET[name])] as const,
);
const INTERACTION = modelIndex('Glucose_BMI_Interaction');
const GLUCOSE = clinicalIndex('Glucose');
const BMI = clinicalIndex('BMI');

function isMeasured(x: number): boolean {
  return Number.isFinite(x) && x > 0;
}

/** Medians of the measured (finite, > 0) Glucose and BMI values of a sample, e.g. the bundle's reference rows. */
export function interactionReferenceFromSample(
  glucose: ArrayLike<number>,
  bmi: ArrayLike<number>,
): InteractionReference {
  const g = Array.from(glucose).filter(isMeasured);
  const b = Array.from(bmi).filter(isMeasured);
  if (g.length === 0 || b.length === 0) {
    throw new RangeError('the reference sample has no measured Glucose or BMI values');
  }
  return { glucose: median(g), bmi: median(b) };
}

/** The reference from the preprocessing's imputation medians (PreprocessParams.imputeMedians), the usual choice. */
export function interactionReferenceFromMedians(medians: { Glucose: number; BMI: number }): InteractionReference {
  const reference = { glucose: medians.Glucose, bmi: medians.BMI };
  checkReference(reference);
  return reference;
}

function checkReference(reference: InteractionReference): void {
  if (!isMeasured(reference.glucose) || !isMeasured(reference.bmi)) {
    throw new RangeError(`interaction reference must be positive: Glucose ${reference.glucose}, BMI ${reference.bmi}`);
  }
}

/** The shares of the Glucose x BMI contribution that go to Glucose and to BMI (they sum to 1). */
export function interactionShares(
  glucose: number,
  bmi: number,
  reference: InteractionReference,
): { glucose: number; bmi: number } {
  const g = isMeasured(glucose) ? Math.abs(Math.log(glucose / reference.glucose)) : 0;
  const b = isMeasured(bmi) ? Math.abs(Math.log(bmi / reference.bmi)) : 0;
  const total = g + b;
  if (total === 0) return { glucose: 0.5, bmi: 0.5 };
  const shareGlucose = g / total;
  return { glucose: shareGlucose, bmi: 1 - shareGlucose };
}

function foldInto(
  contributions: ArrayLike<number>,
  from: number,
  glucose: number,
  bmi: number,
  reference: InteractionReference,
  out: Float64Array,
  to: number,
): void {
  out.fill(0, to, to + CLINICAL_WIDTH);
  for (const [source, target] of DIRECT_PAIRS) out[to + target] += contributions[from + source];
  const interaction = contributions[from + INTERACTION];
  const shares = interactionShares(glucose, bmi, reference);
  out[to + GLUCOSE] += shares.glucose * interaction;
  out[to + BMI] += shares.bmi * interaction;
  out[to + CLINICAL_WIDTH - 1] = contributions[from + MODEL_WIDTH - 1];
}

/**
 * One patient: `contributions` has 12 entries (MODEL_FEATURES order, then the expected value); `glucose` and
 * `bmi` are the patient's raw inputs. Returns 9 entries (FEATURE_COLUMNS order, then the expected value).
 */
export function foldContributions(
  contributions: ArrayLike<number>,
  glucose: number,
  bmi: number,
  reference: InteractionReference,
  out = new Float64Array(CLINICAL_WIDTH),
): Float64Array {
  checkReference(reference);
  if (contributions.length < MODEL_WIDTH) {
    throw new RangeError(`expected ${MODEL_WIDTH} contribution entries, got ${contributions.length}`);
  }
  foldInto(contributions, 0, glucose, bmi, reference, out, 0);
  return out;
}

/** A batch: rowCount x 12 row-major contributions into rowCount x 9 (caller's buffer). Returns `out`. */
export function foldBatch(
  contributions: Float64Array,
  rowCount: number,
  glucose: ArrayLike<number>,
  bmi: ArrayLike<number>,
  reference: InteractionReference,
  out: Float64Array,
): Float64Array {
  checkReference(reference);
  if (contributions.length < rowCount * MODEL_WIDTH) {
    throw new RangeError(`contributions hold ${contributions.length} values, need ${rowCount} x ${MODEL_WIDTH}`);
  }
  if (glucose.length < rowCount || bmi.length < rowCount) {
    throw new RangeError(`Glucose and BMI need ${rowCount} values each`);
  }
  if (out.length < rowCount * CLINICAL_WIDTH) {
    throw new RangeError(`output holds ${out.length} values, need ${rowCount} x ${CLINICAL_WIDTH}`);
  }
  for (let r = 0; r < rowCount; r++) {
    foldInto(contributions, r * MODEL_WIDTH, glucose[r], bmi[r], reference, out, r * CLINICAL_WIDTH);
  }
  return out;
}
