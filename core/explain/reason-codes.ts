/**
 * Reason phrases for clinicians from folded contributions (see fold-contributions.ts): one reason per clinical
 * input, e.g. "Glucose 168 mg/dL raises the risk", "BMI 22.1 kg/m² lowers the risk", with the input's value and
 * unit, ordered by the size of its effect. The worklist shows the top 3 (topReasons), patient detail shows all of
 * them as a waterfall from the expected value to the patient's raw margin (buildWaterfall). Everything returned
 * is plain JSON (numbers, strings, null for a missing value).
 *
 * Contributions are in log-odds of the raw (uncalibrated) model margin; the calibrated probability is a monotone
 * function of it, so "raises" / "lowers" hold on the probability scale too.
 */
import { FEATURE_COLUMNS, FEATURE_UNITS, type FeatureName, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
import { CLINICAL_WIDTH } from './fold-contributions';

/** Display names for the inputs. */
const FEATURE_LABELS: Record<FeatureName, string> = {
  Pregnancies: 'Pregnancies',
  Glucose: 'Glucose',
  BloodPressure: 'Blood pressure',
  SkinThickness: 'Skin thickness',
  Insulin: 'Insulin',
  BMI: 'BMI',
  DiabetesPedigreeFunction: 'Diabetes pedigree',
  Age: 'Age',
};

/** Fixed decimals where clinical convention has them; other values show at most one decimal. */
const FIXED_DECIMALS: Partial<Record<FeatureName, number>> = { BMI: 1, DiabetesPedigreeFunction: 3 };

/**
 * Effects smaller than this (log-odds) are called neutral ("has little effect"): 0.01 log-odds moves a 30% risk
 * by about 0.2 percentage points, below what a clinician would act on. Configurable per call.
 */
const DEFAULT_NEUTRAL_EPSILON = 0.01;

type ReasonDirection = 'raises' | 'lowers' | 'neutral';

export interface Reason {
  feature: FeatureName;
  label: string;
  /** The patient's input as entered; null when not recorded (the model then used the imputed value). */
  value: number | null;
  unit: string;
  /** Log-odds added to the expected value by this input (folded). */
  contribution: number;
  direction: ReasonDirection;
  text: string;
}

export interface ReasonOptions {
  neutralEpsilon?: number;
}

const ZERO_MEANS_MISSING = new Set<FeatureName>(ZERO_IMPUTE_COLUMNS);

/** NaN, or a zero in a column where zero means "not measured". */
export function isMissingInput(feature: FeatureName, value: number): boolean {
  return Number.isNaN(value) || (value === 0 && ZERO_MEANS_MISSING.has(feature));
}

/** "168 mg/dL", "22.1 kg/m²", "6" (no unit), or "not recorded". */
export function formatFeatureValue(feature: FeatureName, value: number | null): string {
  if (value === null || isMissingInput(feature, value)) return 'not recorded';
  const fixed = FIXED_DECIMALS[feature];
  const number = fixed === undefined ? String(Math.round(value * 10) / 10) : value.toFixed(fixed);
  const unit = FEATURE_UNITS[feature];
  return unit ? `${number} ${unit}` : number;
}

function phrase(direction: ReasonDirection): string {
  if (direction === 'raises') return 'raises the risk';
  if (direction === 'lowers') return 'lowers the risk';
  return 'has little effect on the risk';
}

/**
 * All 8 reasons for one patient, largest effect first (ties in FEATURE_COLUMNS order).
 * `folded` has 9 entries (FEATURE_COLUMNS order, then the expected value); `values` are the raw inputs.
 */
export function explainReasons(
  folded: ArrayLike<number>,
  values: Readonly<Record<FeatureName, number>>,
  options: ReasonOptions = {},
): Reason[] {
  const epsilon = options.neutralEpsilon ?? DEFAULT_NEUTRAL_EPSILON;
  if (!(epsilon >= 0)) throw new RangeError(`neutralEpsilon must be >= 0, got ${epsilon}`);
  if (folded.length < CLINICAL_WIDTH) {
    throw new RangeError(`expected ${CLINICAL_WIDTH} folded entries, got ${folded.length}`);
  }
  const reasons = FEATURE_COLUMNS.map((feature, j): Reason => {
    const contribution = folded[j];
    const raw = values[feature];
    if (typeof raw !== 'number') throw new RangeError(`no value for ${feature}`);
    const value = isMissingInput(feature, raw) ? null : raw;
    const direction: ReasonDirection =
      Math.abs(contribution) < epsilon ? 'neutral' : contribution > 0 ? 'raises' : 'lowers';
    const label = FEATURE_LABELS[feature];
    const shown = value === null ? 'not recorded (imputed)' : formatFeatureValue(feature, value);
    return {
      feature,
      label,
      value,
      unit: FEATURE_UNITS[feature],
      contribution,
      direction,
      text: `${label} ${shown} ${phrase(direction)}`,
    };
  });
  const order = new Map(FEATURE_COLUMNS.map((f, j) => [f, j]));
  return reasons.sort(
    (a, b) =>
      Math.abs(b.contribution) - Math.abs(a.contribution) ||
      (order.get(a.feature) as number) - (order.get(b.feature) as number),
  );
}

/** The worklist's reasons: the `count` largest non-neutral effects (fewer if fewer inputs matter). */
export function topReasons(reasons: readonly Reason[], count = 3): Reason[] {
  return reasons.filter((reason) => reason.direction !== 'neutral').slice(0, count);
}

interface WaterfallStep {
  feature: FeatureName;
  label: string;
  text: string;
  contribution: number;
  /** Running log-odds before and after this input. */
  start: number;
  end: number;
}

interface Waterfall {
  /** Where every patient starts: the model's expected raw margin. */
  expectedValue: number;
  steps: WaterfallStep[];
  /** Where this patient ends: expectedValue + all contributions = the raw margin. */
  margin: number;
}

/** The patient-detail waterfall over all reasons, in the order given (explainReasons: largest effect first). */
export function buildWaterfall(folded: ArrayLike<number>, reasons: readonly Reason[]): Waterfall {
  const expectedValue = folded[CLINICAL_WIDTH - 1];
  let running = expectedValue;
  const steps = reasons.map((reason): WaterfallStep => {
    const start = running;
    running += reason.contribution;
    return {
      feature: reason.feature,
      label: reason.label,
      text: reason.text,
      contribution: reason.contribution,
      start,
      end: running,
    };
  });
  return { expectedValue, steps, margin: running };
}

/** The raw inputs of row r of a columnar table, for explainReasons. */
export function inputsOfRow(
  columns: Readonly<Record<FeatureName, ArrayLike<number>>>,
  r: number,
): Record<FeatureName, number> {
  const values = {} as Record<FeatureName, number>;
  for (const feature of FEATURE_COLUMNS) values[feature] = columns[feature][r];
  return values;
}
