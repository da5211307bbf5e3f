import { join } from 'node:path';
import { createOnnxScorer, type OnnxScorer } from '../inference/onnx-session';
import type { PreprocessParams } from '../preprocess/pipeline';
import { loadBundle } from '../registry/bundle';
import { MODEL_FEATURES } from '../schema/columns';
import type { ShadowAssignment, ShadowStore } from '../store/shadow-repository';

/** The shadow model as the batch pipeline needs it: scored beside production, never output. */
export interface ShadowScreeningModel {
  assignmentId: number;
  version: string;
  threshold: number;
  riskCuts: { medium: number; high: number };
  preprocess: PreprocessParams;
  scorer: OnnxScorer;
}

/**
 * What a batch is given about the shadow: the loaded model, or why the assigned one cannot be used (the batch
 * goes on with production alone and records the shadow's failure). Null: no shadow is assigned.
 */
export type ShadowForBatch =
  | { ok: true; model: ShadowScreeningModel }
  | { ok: false; assignmentId: number; version: string; problem: string };

export interface ShadowLoader {
  /** The current assignment's model, loaded (and verified) once per assignment. */
  forBatch(): Promise<ShadowForBatch | null>;
  close(): Promise<void>;
}

/**
 * Loads the assigned shadow bundle from the registry the way production is loaded: every sha256 in its manifest
 * verified, and the model.onnx still the one that was put in shadow. The ORT session runs on the thread that calls
 * it, so a batch pays about the shadow's own inference time. A failed load is not cached: the next batch retries.
 */
export function createShadowLoader(
  shadowStore: Pick<ShadowStore, 'current'>,
  modelsRoot: string,
  riskCuts: { medium: number; high: number } | null = null,
): ShadowLoader {
  let loaded: { assignmentId: number; model: Promise<ShadowScreeningModel> } | null = null;
  const release = async () => {
    const open = loaded;
    loaded = null;
    await (await open?.model.catch(() => null))?.scorer.release();
  };
  return {
    async forBatch() {
      const assignment = shadowStore.current();
      if (loaded && loaded.assignmentId !== assignment?.id) await release();
      if (!assignment) return null;
      if (!loaded) {
        const model = loadShadowModel(assignment, modelsRoot, riskCuts);
        loaded = { assignmentId: assignment.id, model };
        model.catch(() => {
          if (loaded?.model === model) loaded = null;
        });
      }
      try {
        return { ok: true, model: await loaded.model };
      } catch (error) {
        return {
          ok: false,
          assignmentId: assignment.id,
          version: assignment.modelVersion,
          problem: (error as Error).message,
        };
      }
    },
    close: release,
  };
}

async function loadShadowModel(
  assignment: ShadowAssignment,
  modelsRoot: string,
  riskCuts: { medium: number; high: number } | null,
): Promise<ShadowScreeningModel> {
  const dir = join(modelsRoot, assignment.modelId);
  const bundle = await loadBundle(dir);
  if (
    bundle.metadata.version !== assignment.modelVersion ||
    bundle.metadata.files['model.onnx'] !== assignment.onnxSha256
  ) {
    throw new Error(
      `the bundle ${assignment.modelId} is no longer the one put in shadow (version ${bundle.metadata.version}, expected ${assignment.modelVersion} with the same model.onnx)`,
    );
  }
  const scorer = await createOnnxScorer(bundle.onnxBytes, { featureCount: MODEL_FEATURES.length });
  return {
    assignmentId: assignment.id,
    version: bundle.metadata.version,
    threshold: bundle.metadata.optimal_threshold,
    // The clinic's risk cuts (config) apply to both models, so their categories are compared on the same policy.
    riskCuts: riskCuts ?? bundle.metadata.risk_cuts,
    preprocess: bundle.preprocess,
    scorer,
  };
}
