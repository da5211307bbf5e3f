import type { RiskCategory } from '../api/outputs';
import { toFloat32RowMajor } from '../preprocess/model-matrix';
import { type PreprocessParams, transformFeatures } from '../preprocess/pipeline';
import { MODEL_FEATURES } from '../schema/columns';
import type { ShadowScores } from '../store/batch-repository';
import type { ShadowCommit } from '../store/shadow-repository';
import type { Store } from '../store/store';
import type { PatientTable } from '../table/patient-table';
import { categoriseInto } from './categorise';
import type { ShadowOutcome } from './screen-file-types';
import type { ShadowForBatch } from './shadow-model';

/** A chunk the shadow is scoring. */
export interface ShadowInFlight {
  scores: Float64Array;
  /** Resolves to the scoring error, if any. */
  scored: Promise<Error | null>;
}

/**
 * The shadow's part of one batch. It scores the rows production parsed, from production's model matrix when both
 * bundles preprocess alike (otherwise from the same parsed table with its own parameters), and its first failure
 * stops it for the rest of the batch: nothing of it can fail or change production's batch.
 */
export function shadowScoring(given: ShadowForBatch | null, productionPreprocess: PreprocessParams) {
  const model = given?.ok ? given.model : null;
  let failure: string | null = given && !given.ok ? given.problem : null;
  const samePreprocess = model !== null && JSON.stringify(model.preprocess) === JSON.stringify(productionPreprocess);
  const fail = (error: unknown) => {
    failure ??= error instanceof Error ? error.message : String(error);
  };
  return {
    start(table: PatientTable, productionInput: Float32Array): ShadowInFlight | null {
      if (!model || failure !== null) return null;
      try {
        const n = table.rowCount;
        const input = samePreprocess
          ? productionInput
          : toFloat32RowMajor(transformFeatures(model.preprocess, table), new Float32Array(n * MODEL_FEATURES.length));
        const scores = new Float64Array(n);
        const scored = model.scorer.scoreInto(input, n, scores).then(
          () => null,
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        );
        return { scores, scored };
      } catch (error) {
        fail(error);
        return null;
      }
    },

    async finish(inFlight: ShadowInFlight, n: number): Promise<ShadowScores | null> {
      const error = await inFlight.scored;
      if (error) fail(error);
      if (!model || failure !== null) return null;
      const { scores } = inFlight;
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(scores[i]) || scores[i] < 0 || scores[i] > 1) {
          fail(new Error(`the shadow model returned the score ${scores[i]}, not a probability`));
          return null;
        }
      }
      const categories: RiskCategory[] = new Array(n);
      const recommendations = new Uint8Array(n);
      categoriseInto(scores, n, model.threshold, model.riskCuts, categories, recommendations);
      return { scores, categories, recommendations };
    },

    /** What the batch stores about the shadow; null when none was assigned. */
    commit(): ShadowCommit | null {
      if (!given) return null;
      return {
        assignmentId: given.ok ? given.model.assignmentId : given.assignmentId,
        modelVersion: given.ok ? given.model.version : given.version,
        status: failure === null ? 'scored' : 'failed',
        error: failure,
      };
    },
  };
}

/** The shadow's outcome as the batch stored it (the writer records a failure to store its rows as its own). */
export function storedShadowOutcome(store: Store, batchId: number, given: ShadowCommit | null): ShadowOutcome | null {
  if (!given) return null;
  const stored = store.shadow.forBatch(batchId);
  const status = stored?.status ?? 'failed';
  const error = stored ? stored.error : 'the shadow outcome was not stored';
  return { modelVersion: given.modelVersion, status, ...(error === null ? {} : { error }) };
}
