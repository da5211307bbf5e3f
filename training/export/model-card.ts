import type { ModelMetadata } from '../../core/registry/model-metadata';
import { MODEL_FEATURES } from '../../core/schema/columns';

/**
 * MODEL_CARD.md in the sections of Mitchell et al., "Model Cards for Model Reporting" (2019), generated
 * from metadata.json so the card cannot drift from the model it describes.
 */
type Row = Record<string, unknown>;

const f3 = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : 'n/a');

function table(headers: string[], rows: string[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function metricRow(name: string, m: Row | undefined): string[] {
  if (!m) return [name, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
  return [
    name,
    f3(m.recall),
    f3(m.precision),
    f3(m.f2),
    f3(m.auc),
    f3(m.prAuc),
    f3(m.brier),
    `${m.fn ?? 'n/a'} / ${m.fp ?? 'n/a'}`,
    String(m.cost ?? 'n/a'),
  ];
}

/** Which search chose the parameters: retraining's warm start names where it started, as its run record does. */
function searchText(md: Row): string {
  const search = md.retrain_search as Row | undefined;
  if (search?.kind !== 'warm-start') return 'a TPE search';
  return `a search warm-started from the production model's parameters (its ${String(search.from)} ensemble trials and ${String(search.neighbours)} neighbours)`;
}

export function renderModelCard(metadata: ModelMetadata): string {
  const md = metadata as ModelMetadata & Row;
  const test = metadata.test_metrics as Row;
  const oof = md.oof_metrics as Row | undefined;
  const val = md.validation_metrics as Row | undefined;
  const cv = metadata.cv_estimates as Record<string, { mean: number; sd: number }> | null;
  const subgroups = (md.subgroup_metrics as Row[] | undefined) ?? [];
  const calib = md.calibration_report as Row | undefined;
  const split = md.split as Row | undefined;
  const cuts = metadata.risk_cuts;
  const t = metadata.optimal_threshold;
  const mediumStart = Math.min(cuts.medium, t);
  const lines: string[] = [];
  lines.push(`# Model card: Glucoscreen diabetes risk model ${metadata.version}`, '');
  lines.push('## Model details', '');
  lines.push(
    `- Version ${metadata.version}, trained ${metadata.training_date}, code revision \`${metadata.code_revision}\`.`,
    `- ${metadata.algorithm}: gradient-boosted decision trees (binary log-loss, LightGBM semantics) trained in TypeScript, tuned by ${searchText(md)} (${String(md.n_trials ?? '?')} trials, 5-fold stratified CV on the training part${Array.isArray(md.search_space) ? `; parameters ${(md.search_space as Row[]).map((p) => String(p.name)).join(', ')}` : ''}), probabilities calibrated by Platt scaling on out-of-fold margins. Final model: ${String(md.final_model ?? 'n/a')}; ${String(md.num_trees ?? '?')} trees.`,
    `- Input: ${MODEL_FEATURES.length} features in this order: ${metadata.feature_order.join(', ')}. Zero readings of Glucose, BloodPressure, SkinThickness and BMI are imputed with training medians; Insulin zeros are kept.`,
    `- Output: a calibrated risk score p in [0, 1]; screening is recommended when p >= ${f3(t)} (the operating threshold).`,
    `- Exported as ONNX (ai.onnx.ml TreeEnsembleClassifier, calibration built in); the TypeScript trees and the ONNX model agree on every decision (parity test).`,
    '',
  );
  lines.push('## Intended use', '');
  lines.push(
    '- Primary use: prioritising adult patients in a clinic for a diagnostic diabetes test (screening worklist), reviewed by a clinician.',
    '- Not for diagnosis, not for treatment decisions, not for use without clinician review, not for populations unlike the training data (see Caveats).',
    `- Optimisation target: ${metadata.optimization_target}. The threshold keeps recall >= ${f3(metadata.target_recall)} on out-of-fold training predictions, trading precision for fewer missed cases.`,
    '',
  );
  lines.push('### Risk categories', '');
  lines.push(
    `- High: score >= ${f3(cuts.high)}. Medium: ${f3(mediumStart)} <= score < ${f3(cuts.high)}. Low: score < ${f3(mediumStart)}.`,
    `- Rule: a patient recommended for screening (score >= threshold ${f3(t)}) is never labelled Low; when the threshold is below the Medium cut (${f3(cuts.medium)}), Medium starts at the threshold.`,
    '',
  );
  lines.push('## Factors', '');
  lines.push(
    '- Relevant groups evaluated: age group (Age_Group: <=30, 31-45, 46-60, >60) and BMI category (BMI_Category: Underweight, Normal, Overweight, Obese).',
    '- The training data are Pima Indian women aged 21 and over; sex, ethnicity and other demographics are not represented beyond that.',
    '',
  );
  lines.push('## Metrics', '');
  lines.push(
    '- Recall (sensitivity) is primary: a missed diabetic is the costly error. Also precision, F2 (recall weighted 4x), AUC-ROC, PR-AUC, Brier score, false negatives / false positives, and a cost with FN = 1000 and FP = 50.',
    '- Threshold chosen on out-of-fold predictions of the training part only; the test part is used once, for the figures below.',
    '',
  );
  lines.push('## Evaluation data', '');
  lines.push(
    `- Test part: ${String(test.rows ?? '?')} rows (${String(test.positives ?? '?')} positive), held out from a ${String(split?.kind ?? 'stratified 60/20/20')} split (seed ${String(split?.seed ?? '?')}); validation part: ${String(val?.rows ?? '?')} rows.`,
    '',
  );
  lines.push('## Training data', '');
  lines.push(
    `- ${metadata.data_path}, sha256 \`${metadata.data_sha256}\`; training part ${String(split?.trainRows ?? '?')} rows. Preprocessing is fitted on the training part only.`,
    '',
  );
  const dataset = md.training_dataset as Row | undefined;
  if (dataset) lines.push(...datasetLines(dataset), '');
  lines.push('## Quantitative analyses', '');
  lines.push(
    table(
      ['data', 'recall', 'precision', 'F2', 'AUC', 'PR-AUC', 'Brier', 'FN / FP', 'cost'],
      [metricRow('test', test), metricRow('validation', val), metricRow('out-of-fold (train)', oof)],
    ),
    '',
  );
  if (cv) {
    lines.push(
      `Repeated stratified 5 x 5 cross-validation of the whole procedure (tuning included), mean +- sd: AUC ${f3(cv.auc?.mean)} +- ${f3(cv.auc?.sd)}, recall ${f3(cv.recall?.mean)} +- ${f3(cv.recall?.sd)}, precision ${f3(cv.precision?.mean)} +- ${f3(cv.precision?.sd)}, F2 ${f3(cv.f2?.mean)} +- ${f3(cv.f2?.sd)}.`,
      '',
    );
    const teacher = metadata.teacher_cv_estimates as
      | (Record<string, { mean: number; sd: number }> & { num_trees?: number })
      | null
      | undefined;
    if (teacher) {
      lines.push(
        `On the same outer folds, the ${String(teacher.num_trees ?? '?')}-tree ensemble this model was distilled from (the teacher) scored AUC ${f3(teacher.auc?.mean)} +- ${f3(teacher.auc?.sd)}, recall ${f3(teacher.recall?.mean)} +- ${f3(teacher.recall?.sd)}, precision ${f3(teacher.precision?.mean)} +- ${f3(teacher.precision?.sd)}, F2 ${f3(teacher.f2?.mean)} +- ${f3(teacher.f2?.sd)}.`,
        '',
      );
    }
  } else lines.push('Repeated cross-validation was not run for this model.', '');
  const heldOut = md.time_held_out as Row | undefined;
  if (heldOut) lines.push(...heldOutLines(heldOut), '');
  if (calib) {
    lines.push(
      `Calibration (out-of-fold): Brier ${f3(calib.brierBefore)} before Platt scaling (class-weighted raw scores), ${f3(calib.brierAfter)} after.`,
      '',
    );
  }
  const importance = md.global_importance as { data: string; rows: number; model: Row[]; clinical: Row[] } | undefined;
  if (importance) {
    lines.push(`### Global feature importance (mean |SHAP|, ${importance.data}, ${importance.rows} rows)`, '');
    lines.push(
      "How to read it: each value is the average size of a feature's TreeSHAP contribution to the raw log-odds score (before calibration), over the training patients. A larger value means the feature moves individual scores more, in either direction; it does not say whether high values raise or lower the risk (patient-level reasons do), and it is not a causal effect. The clinical column folds the engineered features onto the 8 inputs the clinician enters (BMI_Category to BMI, Age_Group to Age, the Glucose x BMI interaction split between Glucose and BMI), so each input's value includes its share of those.",
      '',
    );
    const rows = Math.max(importance.model.length, importance.clinical.length);
    const cells: string[][] = [];
    for (let i = 0; i < rows; i++) {
      const m = importance.model[i];
      const c = importance.clinical[i];
      cells.push([
        String(i + 1),
        m ? String(m.feature) : '',
        m ? f3(m.meanAbsShap) : '',
        c ? String(c.feature) : '',
        c ? f3(c.meanAbsShap) : '',
      ]);
    }
    lines.push(table(['rank', 'model feature', 'mean \\|SHAP\\|', 'clinical input', 'mean \\|SHAP\\|'], cells), '');
  }
  if (subgroups.length > 0) {
    lines.push('Subgroups (test part):', '');
    lines.push(
      table(
        ['feature', 'group', 'rows', 'positives', 'recall', 'precision', 'F2', 'FN'],
        subgroups.map((s) => [
          String(s.feature),
          String(s.group),
          String(s.rows),
          String(s.positives),
          s.positives === 0 ? 'n/a (no positives)' : f3(s.recall),
          f3(s.precision),
          f3(s.f2),
          String(s.fn),
        ]),
      ),
      '',
    );
  }
  lines.push('## Ethical considerations', '');
  lines.push(
    '- Missed cases (false negatives) delay diagnosis; the threshold is set for high recall at the cost of more confirmatory tests.',
    '- Subgroup figures rest on few patients (some groups have fewer than 20 test rows); differences between groups are uncertain. Younger patients are over-represented, so recall in older groups must be monitored.',
    '- Scores are probabilities for screening priority, not diagnoses. Patient data stay on the device; logs carry patient_id only.',
    '',
  );
  lines.push('## Caveats and recommendations', '');
  lines.push(
    '- Trained on 768 patients from one population (Pima Indian women, 21+). Performance on men, other ethnicities or other clinics is unknown: validate locally before use and watch the drift and recall monitors.',
    '- Zeros in Glucose, BloodPressure, SkinThickness and BMI are treated as missing and imputed; Insulin zeros are taken at face value.',
    '- Re-train and re-validate when drift is detected or monitored recall falls below 0.80.',
    `- Label-free performance estimates (CBPE) assume the calibration holds on new data; their sampling-error reference (${md.cbpe_reference ? String(md.cbpe_reference_source ?? 'stored') : 'not stored for this model'}) is in metadata.json \`cbpe_reference\`.`,
    '',
  );
  return `${lines.join('\n')}\n`;
}

/** Where a retrained model's rows came from: the data set version, rows by source, the labels left out. */
function datasetLines(d: Row): string[] {
  const rows = (d.rows_by_source ?? {}) as Record<string, number>;
  const positives = (d.positives_by_source ?? {}) as Record<string, number>;
  const excluded = (d.excluded ?? {}) as Record<string, number>;
  return [
    `- Retraining data set version ${String(d.version_id ?? '?')} (sha256 \`${String(d.sha256)}\`): ${String(d.rows_total)} rows, ${String(rows.training ?? 0)} from the original training data (${String(positives.training ?? 0)} positive) and ${String(rows.production ?? 0)} labelled production rows (${String(positives.production ?? 0)} positive), screened ${d.label_from ? `${String(d.label_from)} to ${String(d.label_to)}` : 'never (no labelled production rows)'}.`,
    `- Labels left out: ${String(excluded.unmatchedLabels ?? 0)} matched no stored prediction, ${String(excluded.conflictingLabels ?? 0)} disagree with another label of the same prediction.`,
  ];
}

/** The time-aware evaluation: the same procedure trained without the most recent labelled weeks, scored on them. */
function heldOutLines(h: Row): string[] {
  const weeks = (h.weeks as string[] | undefined) ?? [];
  if (!h.evaluated) {
    return [
      `Time-held-out evaluation (most recent labelled weeks) was not run: ${String(h.reason ?? 'no reason given')}.`,
    ];
  }
  return [
    `Time-held-out evaluation: the same procedure trained on the ${String(h.trained_rows)} other rows and scored at its own threshold on the ${String(h.rows)} labelled production rows (${String(h.positives)} positive) of the most recent week(s) ${weeks.join(', ')}, the way drift shows up in practice. Compare with the cross-validated figures above.`,
    '',
    table(
      ['data', 'recall', 'precision', 'F2', 'AUC', 'PR-AUC', 'Brier', 'FN / FP', 'cost'],
      [metricRow(`weeks ${weeks.join(', ')}`, h.metrics as Row | undefined)],
    ),
  ];
}
