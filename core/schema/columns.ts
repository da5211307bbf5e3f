/**
 * The one place where the patient data contract's column names live.
 * Everything else (ingest, validation, preprocessing, training, export, UI) imports from here.
 */

export const ID_COLUMN = 'patient_id';
export const OUTCOME_COLUMN = 'Outcome';

/** The 8 raw clinical inputs, in the order of the Pima data set. */
export const FEATURE_COLUMNS = [
  'Pregnancies',
  'Glucose',
  'BloodPressure',
  'SkinThickness',
  'Insulin',
  'BMI',
  'DiabetesPedigreeFunction',
  'Age',
] as const;
export type FeatureName = (typeof FEATURE_COLUMNS)[number];

/** What a daily screening batch must carry. */
export const REQUIRED_COLUMNS = [ID_COLUMN, ...FEATURE_COLUMNS] as const;

/**
 * Zeros in these columns are physiologically impossible and mean "not measured".
 * Insulin is deliberately absent: a fasting insulin of zero can be a real reading.
 */
export const ZERO_IMPUTE_COLUMNS = [
  'Glucose',
  'BloodPressure',
  'SkinThickness',
  'BMI',
] as const satisfies readonly FeatureName[];
export type ZeroImputeColumn = (typeof ZERO_IMPUTE_COLUMNS)[number];

/** Derived by the feature engineer after imputation. */
const ENGINEERED_COLUMNS = ['BMI_Category', 'Age_Group', 'Glucose_BMI_Interaction'] as const;

/** The model's input, in this exact order (the ONNX input is float32 [N, 11] in this order). */
export const MODEL_FEATURES = [...FEATURE_COLUMNS, ...ENGINEERED_COLUMNS] as const;
export type ModelFeatureName = (typeof MODEL_FEATURES)[number];

/** Categorical engineered features (drift tests treat them as categories, not numbers). */
export const CATEGORICAL_FEATURES = ['BMI_Category', 'Age_Group'] as const satisfies readonly ModelFeatureName[];

/** Right-inclusive bin edges, as pandas.cut(right=True) bins them; values past the last edge go to the last bin. */
export const BMI_CATEGORY_EDGES = [18.5, 25, 30] as const;
export const BMI_CATEGORY_LABELS = ['Underweight', 'Normal', 'Overweight', 'Obese'] as const;
export const AGE_GROUP_EDGES = [30, 45, 60] as const;
export const AGE_GROUP_LABELS = ['<=30', '31-45', '46-60', '>60'] as const;

/** Units for display and reason codes. */
export const FEATURE_UNITS: Record<FeatureName, string> = {
  Pregnancies: '',
  Glucose: 'mg/dL',
  BloodPressure: 'mm Hg',
  SkinThickness: 'mm',
  Insulin: 'µU/mL',
  BMI: 'kg/m²',
  DiabetesPedigreeFunction: '',
  Age: 'years',
};
