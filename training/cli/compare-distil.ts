import { runMain } from '../../core/cli/run-main';
import { createOnnxScorer } from '../../core/inference/onnx-session';
import type { PlattCalibration, TreeEnsemble } from '../../core/model/tree';
import { takeRows } from '../../core/table/patient-table';
import { exportOnnx } from '../export/onnx-tree-ensemble';
import type { FeatureMatrix } from '../io/binned-dataset';
import { finalizeModel, matrixOf, type ProcedureOptions, tuneTrainingPart } from '../pipeline/fit-procedure';
import { FoldResults, openOuterCvStudy, scoreHeldOut } from './outer-cv-study';

/** Realistic inputs: the real rows' model matrix tiled to 100,000 rows (uniform noise takes unrealistically short paths). */
async function onnxRowsPerSecond(
  ensemble: TreeEnsemble,
  calibration: PlattCalibration,
  rows: FeatureMatrix,
): Promise<number> {
  const n = 100_000;
  const input = new Float32Array(n * 11);
  for (let r = 0; r < n; r++) for (let f = 0; f < 11; f++) input[r * 11 + f] = rows.columns[f][r % rows.numRows];
  const out = new Float64Array(n);
  const scorer = await createOnnxScorer(exportOnnx(ensemble, calibration), { featureCount: 11 });
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    for (let off = 0; off < n; off += 8192) {
      const rows = Math.min(8192, n - off);
      await scorer.scoreInto(input.subarray(off * 11, (off + rows) * 11), rows, out, off);
    }
    times.push(performance.now() - started);
  }
  await scorer.release();
  times.sort((a, b) => a - b);
  return n / (times[2] / 1000);
}

async function main(): Promise<void> {
  const study = await openOuterCvStudy({ variants: { type: 'string' }, augment: { type: 'string' } });
  const { values, table } = study;
  const base: Partial<ProcedureOptions> = { ...study.base, distilAugmentRows: Number(values.augment ?? 20000) };
  const variants = (values.variants ?? 't150l8').split(',').map((name) => {
    const match = /^t(\d+)l(\d+)$/.exec(name);
    if (!match) throw new Error(`--variants: "${name}" is not t<trees>l<leaves>`);
    return { name, trees: Number(match[1]), leaves: Number(match[2]) };
  });
  const results = new FoldResults();
  const treeCounts: Record<string, number> = {};
  const last: Record<string, { ensemble: TreeEnsemble; calibration: PlattCalibration }> = {};
  let lastRows: FeatureMatrix | null = null;
  const print = () => results.lines(16, (name) => `trees ${String(treeCounts[name]).padStart(5)}  `).join('\n');
  await study.forEachOuterFold(async (trainRows, heldRows) => {
    const part = await tuneTrainingPart(table, trainRows, base);
    const held = matrixOf(part.preprocess, takeRows(table, heldRows));
    lastRows = matrixOf(part.preprocess, table);
    for (const v of variants) {
      const model = await finalizeModel(part, {
        ...base,
        distilTrees: v.trees,
        distilStudent: { numLeaves: v.leaves },
      });
      const teacher = model.teacher;
      if (!teacher) throw new Error('no teacher: distillation needs finalModel cv-ensemble');
      if (v === variants[0]) {
        results.add('teacher', scoreHeldOut(teacher, held).metrics);
        treeCounts.teacher = teacher.ensemble.trees.length;
        last.teacher = teacher;
      }
      results.add(`student ${v.name}`, scoreHeldOut(model, held).metrics);
      treeCounts[`student ${v.name}`] = model.ensemble.trees.length;
      last[`student ${v.name}`] = model;
    }
  }, print);
  const lines = [print()];
  for (const [name, m] of Object.entries(last)) {
    if (!lastRows) break;
    const rate = await onnxRowsPerSecond(m.ensemble, m.calibration, lastRows);
    lines.push(
      `ORT ${name}: ${Math.round(rate).toLocaleString('en-US')} rows/s (median of 5, last outer fold's model)`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

runMain('compare-distil', main);
