import {
  checkFeatureCell,
  checkPatientId,
  FEATURE_COLUMNS,
  FEATURE_UNITS,
  type FeatureName,
  isImplausible,
  RULE_DESCRIPTIONS,
  ZERO_IMPUTE_COLUMNS,
} from '@contract/field-rules';
import type { QuickScoreResult } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { type FormEvent, useMemo, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { featureLabel, InputsTable } from '../../../components/inputs-table';
import { RiskFactors } from '../../../components/risk-factors';
import { ScoreBlock } from '../../../components/score-block';
import '../../../components/field.css';
import '../quick-score.css';

const ZERO_MEANS_MISSING = new Set<string>(ZERO_IMPUTE_COLUMNS);
const EMPTY = Object.fromEntries(FEATURE_COLUMNS.map((f) => [f, ''])) as Record<FeatureName, string>;

/** Checked as you type with the batch validator's own rules (core/schema/rules.ts). */
function checkField(feature: FeatureName, text: string): { error: string | null; warning: string | null } {
  if (text.trim() === '') return { error: null, warning: null };
  const check = checkFeatureCell(feature, text);
  if (!check.ok) return { error: check.message, warning: null };
  if (isImplausible(feature, check.value)) return { error: null, warning: RULE_DESCRIPTIONS.implausible };
  if (check.value === 0 && ZERO_MEANS_MISSING.has(feature)) {
    return { error: null, warning: '0 means “not measured”: the training median will be used.' };
  }
  return { error: null, warning: null };
}

export function QuickScoreView() {
  const api = useApi();
  const [patientId, setPatientId] = useState('');
  const [values, setValues] = useState<Record<FeatureName, string>>(EMPTY);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<QuickScoreResult | null>(null);
  // What the shown result was scored from: any edit after it makes the result out of date.
  const [scoredFrom, setScoredFrom] = useState('');
  const formKey = JSON.stringify([patientId, values]);
  const stale = result !== null && scoredFrom !== formKey;
  const [error, setError] = useState<ApiError | null>(null);

  const checks = useMemo(
    () =>
      Object.fromEntries(FEATURE_COLUMNS.map((f) => [f, checkField(f, values[f])])) as Record<
        FeatureName,
        ReturnType<typeof checkField>
      >,
    [values],
  );
  const idCheck = patientId.trim() === '' ? null : checkPatientId(patientId);
  const complete = FEATURE_COLUMNS.every((f) => values[f].trim() !== '' && !checks[f].error);
  const valid = complete && (idCheck === null || idCheck.ok);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(new Set(FEATURE_COLUMNS));
    if (!valid) return;
    const features = Object.fromEntries(
      FEATURE_COLUMNS.map((f) => [f, Number(values[f].trim().replace(',', '.'))]),
    ) as Record<FeatureName, number>;
    const response = await api.quickScore({ patientId: patientId.trim() || undefined, features });
    if (response.ok) {
      setResult(response.value);
      setScoredFrom(formKey);
      setError(null);
    } else setError(response.error);
  };

  return (
    <div className="stack">
      <h1>Quick score</h1>
      <p className="muted">
        Score one patient typed in by hand. The same rules as a batch file apply; the score is recorded as a batch of
        one.
      </p>
      <form className="panel quick-form" onSubmit={submit} noValidate aria-label="Quick score">
        <div className="field">
          <label htmlFor="qs-patient-id">Patient ID (optional)</label>
          <input
            id="qs-patient-id"
            value={patientId}
            onChange={(e) => setPatientId(e.target.value)}
            maxLength={80}
            aria-describedby={idCheck && !idCheck.ok ? 'qs-patient-id-error' : undefined}
          />
          {idCheck && !idCheck.ok && (
            <span id="qs-patient-id-error" className="field-error">
              {RULE_DESCRIPTIONS[idCheck.rule]}
            </span>
          )}
        </div>
        <div className="form-grid">
          {FEATURE_COLUMNS.map((feature) => {
            const check = checks[feature];
            const showError =
              check.error ?? (touched.has(feature) && values[feature].trim() === '' ? RULE_DESCRIPTIONS.missing : null);
            const describedBy = showError ? `${feature}-error` : check.warning ? `${feature}-warning` : undefined;
            return (
              <div key={feature} className="field">
                <label htmlFor={`qs-${feature}`}>
                  {featureLabel(feature)}
                  {FEATURE_UNITS[feature] ? ` (${FEATURE_UNITS[feature]})` : ''}
                </label>
                <input
                  id={`qs-${feature}`}
                  inputMode="decimal"
                  name={feature}
                  value={values[feature]}
                  aria-invalid={showError ? true : undefined}
                  aria-describedby={describedBy}
                  onChange={(e) => setValues({ ...values, [feature]: e.target.value })}
                  onBlur={() => setTouched(new Set(touched).add(feature))}
                />
                {showError && (
                  <span id={`${feature}-error`} className="field-error">
                    {showError}
                  </span>
                )}
                {!showError && check.warning && (
                  <span id={`${feature}-warning`} className="field-warning">
                    {check.warning}
                  </span>
                )}
              </div>
            );
          })}
        </div>
        <button type="submit" className="primary" disabled={!valid}>
          Score patient
        </button>
      </form>
      <ErrorBanner error={error} />
      {result && (
        <>
          <section
            className={stale ? 'panel patient-header stale-result' : 'panel patient-header'}
            aria-labelledby="quick-result-title"
            role="status"
          >
            <h2 id="quick-result-title">
              {stale ? 'Out of date: result' : 'Result'} for {result.patientId}
            </h2>
            {stale && (
              <p className="banner banner-warning" data-testid="quick-score-stale">
                The inputs have changed since this score: it no longer describes them. Score the patient again.
              </p>
            )}
            <ScoreBlock scored={result} scoreTestId="quick-score-value" />
            {result.warnings.length > 0 && (
              <ul className="banner banner-warning">
                {result.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            )}
          </section>
          <div className="two-columns">
            <InputsTable inputs={result.inputs} />
            <RiskFactors factors={result.factors} />
          </div>
        </>
      )}
    </div>
  );
}
