import { type EarlySession, scorerOpening } from '../inference/early-session';
import { createOnnxScorer } from '../inference/onnx-session';
import { createSplitScorer } from '../inference/split-scorer';
import { createWorkerScorer } from '../inference/worker-scorer';
import { BundleError, loadBundle, type ModelBundle } from '../registry/bundle';
import { MODEL_FEATURES } from '../schema/columns';
import type { ScreeningModel } from './screening-model';
import { trainingRangeOf } from './training-range';

export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

export interface LoadedScreeningModel extends ScreeningModel {
  bundle: ModelBundle;
}

/** One ORT session for the bundle; config risk cuts (when set) override the bundle's. */
interface ModelOverrides {
  /** Config risk cuts; null/undefined keeps the bundle's. */
  riskCuts?: { medium: number; high: number } | null;
  intraOpNumThreads?: number;
  /** Two single-threaded sessions, on this thread and a worker, each scoring half of every chunk. */
  splitScoring?: boolean;
  /** The session on a worker thread, so that this thread parses the next chunk meanwhile (worker-scorer.ts). */
  scoreThread?: boolean;
  /**
   * The session already being opened on a score thread (early-session.ts): used when it was opened from the bytes
   * this bundle verified (open or still opening: a first request waits for it), and released otherwise.
   */
  earlySession?: EarlySession | null;
}

export async function screeningModelFromBundle(
  bundle: ModelBundle,
  overrides: ModelOverrides = {},
): Promise<LoadedScreeningModel> {
  let scorer: ScreeningModel['scorer'];
  const early = overrides.earlySession;
  const adopted = early && early.sha256 === bundle.metadata.files['model.onnx'] ? early : null;
  if (early && !adopted) {
    // The file changed between the early read and the verified one: the verified bytes are the model.
    void early.scorer.then((s) => s.release()).catch(() => undefined);
  }
  try {
    // Failed already: refused here, before any batch, like a session opened on this thread.
    if (adopted?.failure) throw adopted.failure;
    scorer = adopted
      ? scorerOpening(adopted, MODEL_FEATURES.length, bundle.onnxPath)
      : overrides.scoreThread
        ? await createWorkerScorer(bundle.onnxBytes, MODEL_FEATURES.length, overrides.intraOpNumThreads ?? 1)
        : overrides.splitScoring
          ? await createSplitScorer(bundle.onnxBytes, MODEL_FEATURES.length)
          : await createOnnxScorer(bundle.onnxBytes, {
              featureCount: MODEL_FEATURES.length,
              intraOpNumThreads: overrides.intraOpNumThreads,
            });
  } catch (error) {
    throw new ModelLoadError(`${bundle.onnxPath}: ${(error as Error).message}`);
  }
  return {
    version: bundle.metadata.version,
    dir: bundle.dir,
    threshold: bundle.metadata.optimal_threshold,
    riskCuts: overrides.riskCuts ?? bundle.metadata.risk_cuts,
    preprocess: bundle.preprocess,
    scorer,
    trainingRange: trainingRangeOf(bundle.reference.columns),
    bundle,
  };
}

/**
 * Loads a bundle through the registry (every sha256 verified) and opens its ONNX session. A missing, truncated
 * or tampered bundle is a ModelLoadError naming the file, never a crash.
 */
export async function loadScreeningModel(dir: string, overrides: ModelOverrides = {}): Promise<LoadedScreeningModel> {
  let bundle: ModelBundle;
  try {
    bundle = await loadBundle(dir);
  } catch (error) {
    if (error instanceof BundleError) throw new ModelLoadError(`${error.message} (in ${dir})`);
    throw error;
  }
  return screeningModelFromBundle(bundle, overrides);
}
