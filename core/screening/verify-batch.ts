import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RiskCategory } from '../api/outputs';
import { toFloat32RowMajor } from '../preprocess/model-matrix';
import { transformFeatures } from '../preprocess/pipeline';
import { MODEL_FEATURES } from '../schema/columns';
import type { Store } from '../store/store';
import { categoriseInto } from './categorise';
import { encodeOutputRows, OUTPUT_HEADER } from './output-csv';
import type { ScreeningModel } from './screening-model';

/**
 * Reproducibility check: re-scores a stored batch from its stored inputs with the model version it recorded,
 * and confirms identical scores, categories, recommendations and output file bytes (by sha256).
 */
interface BatchVerification {
  ok: boolean;
  batchId: number;
  modelVersion: string;
  rows: number;
  mismatchCount: number;
  /** The first mismatches (patient_id and the two scores only). */
  mismatches: { rowIndex: number; patientId: string; stored: number; rescored: number }[];
  outputSha256: { recorded: string | null; regenerated: string; identical: boolean };
}

export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }
}

function versionOf(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/**
 * The folder holding model `version`: the batch's recorded folder if it still holds that version, else the first
 * match among <models>/production, production_backup, archive/* and experiments/*.
 */
export function findModelDir(version: string, recordedDir: string | null, modelsRoot: string): string | null {
  const candidates: string[] = [];
  if (recordedDir) candidates.push(recordedDir);
  for (const name of ['production', 'production_backup']) candidates.push(join(modelsRoot, name));
  for (const group of ['archive', 'experiments']) {
    const root = join(modelsRoot, group);
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort().reverse()) candidates.push(join(root, name));
  }
  return candidates.find((dir) => existsSync(join(dir, 'metadata.json')) && versionOf(dir) === version) ?? null;
}

export function modelsRootOf(modelDir: string): string {
  return dirname(modelDir);
}

export async function verifyBatch(store: Store, batchId: number, model: ScreeningModel): Promise<BatchVerification> {
  const batch = store.batches.get(batchId);
  if (!batch) throw new VerifyError(`batch ${batchId} does not exist`);
  if (batch.status !== 'completed') throw new VerifyError(`batch ${batchId} was ${batch.status}; nothing to re-score`);
  if (batch.modelVersion !== model.version) {
    throw new VerifyError(`batch ${batchId} was scored with ${batch.modelVersion}, not ${model.version}`);
  }
  const threshold = batch.threshold ?? model.threshold;
  const cuts = batch.riskCuts ?? model.riskCuts;
  const hash = createHash('sha256').update(`${OUTPUT_HEADER}\n`);
  const mismatches: BatchVerification['mismatches'] = [];
  let mismatchCount = 0;
  let rows = 0;
  for (const chunk of store.batches.iteratePredictions(batchId)) {
    const n = chunk.table.rowCount;
    const scores = new Float64Array(n);
    const input = toFloat32RowMajor(transformFeatures(model.preprocess, chunk.table));
    await model.scorer.scoreInto(input, n, scores);
    const categories: RiskCategory[] = new Array(n);
    const recommendations = new Uint8Array(n);
    categoriseInto(scores, n, threshold, cuts, categories, recommendations);
    for (let i = 0; i < n; i++) {
      if (
        scores[i] !== chunk.scores[i] ||
        categories[i] !== chunk.categories[i] ||
        recommendations[i] !== chunk.recommendations[i]
      ) {
        mismatchCount++;
        if (mismatches.length < 20) {
          mismatches.push({
            rowIndex: chunk.rowIndexStart + i,
            patientId: chunk.table.ids[i],
            stored: chunk.scores[i],
            rescored: scores[i],
          });
        }
      }
    }
    hash.update(
      encodeOutputRows(
        chunk.table.ids,
        recommendations,
        scores,
        categories,
        n,
        batch.modelVersion ?? '',
        batch.predictionDate,
      ),
    );
    rows += n;
  }
  if (MODEL_FEATURES.length !== model.scorer.featureCount) throw new VerifyError('model input width mismatch');
  const regenerated = hash.digest('hex');
  const identical = regenerated === batch.outputSha256;
  return {
    ok: mismatchCount === 0 && identical && rows === batch.rowsValid,
    batchId,
    modelVersion: model.version,
    rows,
    mismatchCount,
    mismatches,
    outputSha256: { recorded: batch.outputSha256, regenerated, identical },
  };
}
