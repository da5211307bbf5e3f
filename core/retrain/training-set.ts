import { FEATURE_COLUMNS } from '../schema/columns';
import type { MatchedLabelInputs } from '../store/label-repository';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';

/** Where a row of an assembled training set comes from. */
export type RowSource = 'training' | 'production';

/**
 * A training set for retraining: the original training rows followed by every production row with a matched,
 * unambiguous label. `screenedOn` is the day a production row was scored (null for original rows): the
 * time-held-out evaluation holds out the most recent weeks of it, the way weekly monitoring groups labels.
 */
export interface TrainingSet {
  table: PatientTable;
  source: RowSource[];
  screenedOn: (string | null)[];
}

export interface AssemblyCounts {
  rowsBySource: Record<RowSource, number>;
  positivesBySource: Record<RowSource, number>;
  /** Labels left out: no stored prediction matched them, or the labels of one prediction disagree. */
  excluded: { unmatchedLabels: number; conflictingLabels: number };
  /** First and last screening day of the labelled production rows (YYYY-MM-DD), null without any. */
  labelFrom: string | null;
  labelTo: string | null;
}

/**
 * Builds the training set from the original table and the store's matched labels. A prediction judged by several
 * labels enters once when they agree; when they disagree none of them can be trusted and it is left out.
 * Production rows come in the order the store lists them (screening day, batch, row), so the same store content
 * gives the same set.
 */
export function assembleTrainingSet(
  original: PatientTable,
  matched: readonly MatchedLabelInputs[],
  unmatchedLabels: number,
): { set: TrainingSet; counts: AssemblyCounts } {
  if (!original.outcome) throw new Error('the original training data has no Outcome column');
  const byPrediction = new Map<string, MatchedLabelInputs[]>();
  for (const label of matched) {
    const key = `${label.batchId}:${label.rowIndex}`;
    const group = byPrediction.get(key);
    if (group) group.push(label);
    else byPrediction.set(key, [label]);
  }
  const kept: MatchedLabelInputs[] = [];
  let conflictingLabels = 0;
  for (const group of byPrediction.values()) {
    if (group.some((l) => l.outcome !== group[0].outcome)) conflictingLabels += group.length;
    else kept.push(group[0]);
  }

  const n = original.rowCount + kept.length;
  const features = emptyFeatureColumns(n);
  const outcome = new Uint8Array(n);
  const ids: string[] = new Array(n);
  const lineNumbers = new Uint32Array(n);
  const source: RowSource[] = new Array(n);
  const screenedOn: (string | null)[] = new Array(n);
  for (const name of FEATURE_COLUMNS) features[name].set(original.features[name]);
  outcome.set(original.outcome);
  for (let r = 0; r < original.rowCount; r++) {
    ids[r] = original.ids[r];
    lineNumbers[r] = original.lineNumbers[r];
    source[r] = 'training';
    screenedOn[r] = null;
  }
  kept.forEach((label, i) => {
    const r = original.rowCount + i;
    for (const name of FEATURE_COLUMNS) features[name][r] = label.inputs[name] ?? Number.NaN;
    outcome[r] = label.outcome;
    ids[r] = label.patientId;
    lineNumbers[r] = 0;
    source[r] = 'production';
    screenedOn[r] = label.predictionDate.slice(0, 10);
  });
  const set: TrainingSet = { table: { rowCount: n, ids, lineNumbers, features, outcome }, source, screenedOn };
  return { set, counts: { ...countsOf(set), excluded: { unmatchedLabels, conflictingLabels } } };
}

/** Rows and positives by source, and the production rows' screening-day range. */
export function countsOf(set: TrainingSet): Omit<AssemblyCounts, 'excluded'> {
  const rowsBySource: Record<RowSource, number> = { training: 0, production: 0 };
  const positivesBySource: Record<RowSource, number> = { training: 0, production: 0 };
  let labelFrom: string | null = null;
  let labelTo: string | null = null;
  const outcome = set.table.outcome as Uint8Array;
  for (let r = 0; r < set.table.rowCount; r++) {
    const s = set.source[r];
    rowsBySource[s]++;
    positivesBySource[s] += outcome[r];
    const day = set.screenedOn[r];
    if (day !== null) {
      if (labelFrom === null || day < labelFrom) labelFrom = day;
      if (labelTo === null || day > labelTo) labelTo = day;
    }
  }
  return { rowsBySource, positivesBySource, labelFrom, labelTo };
}
