/**
 * Offline companion of compare-variants.ts: reads its --out file (per outer fold and variant, the calibrated
 * out-of-fold probabilities of the training part and the held-out probabilities) and compares threshold
 * rules, each chosen on the out-of-fold probabilities only and scored on the held-out fold.
 * Usage: npx tsx training/cli/compare-thresholds.ts <variants.json>
 */
import { readFileSync } from 'node:fs';
import { metricsAt } from '../pipeline/evaluate';
import { formatMeanSd } from '../pipeline/repeated-cv';
import { bootstrapThreshold, recallConstrainedThreshold } from '../tuner/threshold';

interface Saved {
  oofProbs: number[];
  oofLabels: number[];
  heldProbs: number[];
  heldLabels: number[];
}

/** The highest threshold whose out-of-fold recall reaches minRecall (no search for a precision bump below it). */
function firstReaching(scores: number[], labels: number[], minRecall: number): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = labels.reduce((a, b) => a + b, 0);
  let tp = 0;
  for (let k = 0; k < order.length; ) {
    const s = scores[order[k]];
    while (k < order.length && scores[order[k]] === s) tp += labels[order[k++]];
    if (tp / positives + 1e-12 >= minRecall) return s;
  }
  return Number.NEGATIVE_INFINITY;
}

const RULES: Record<string, (s: Saved) => number> = {
  'first@0.85': (s) => firstReaching(s.oofProbs, s.oofLabels, 0.85),
  'first@0.855': (s) => firstReaching(s.oofProbs, s.oofLabels, 0.855),
  'first@0.86': (s) => firstReaching(s.oofProbs, s.oofLabels, 0.86),
  'exact@0.85': (s) => recallConstrainedThreshold(s.oofProbs, s.oofLabels, 0.85).threshold,
  'exact@0.855': (s) => recallConstrainedThreshold(s.oofProbs, s.oofLabels, 0.855).threshold,
  'exact@0.86': (s) => recallConstrainedThreshold(s.oofProbs, s.oofLabels, 0.86).threshold,
  'exact@0.845': (s) => recallConstrainedThreshold(s.oofProbs, s.oofLabels, 0.845).threshold,
  'bootstrap-median@0.85': (s) => bootstrapThreshold(s.oofProbs, s.oofLabels, 0.85, 200, 42),
};

const file = process.argv[2];
if (!file) throw new Error('usage: compare-thresholds.ts <variants.json>');
const { saved } = JSON.parse(readFileSync(file, 'utf8')) as { saved: Record<string, Saved[]> };
for (const [variant, folds] of Object.entries(saved)) {
  for (const [rule, choose] of Object.entries(RULES)) {
    const metrics = folds.map((s) => metricsAt(s.heldProbs, s.heldLabels, choose(s)));
    const f = (k: 'auc' | 'recall' | 'precision' | 'f2') =>
      formatMeanSd(
        metrics.map((m) => m[k]),
        4,
      );
    process.stdout.write(
      `${`${variant} | ${rule}`.padEnd(46)} n=${folds.length}  AUC ${f('auc')}  recall ${f('recall')}  precision ${f('precision')}  F2 ${f('f2')}\n`,
    );
  }
}
