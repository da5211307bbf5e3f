import type { OnnxScorer } from '../inference/onnx-session';
import type { FeatureRange } from '../ingest/ingest-options';
import type { PreprocessParams } from '../preprocess/pipeline';

/** What the batch pipeline needs of a model: built from the registry's ModelBundle by the caller. */
export interface ScreeningModel {
  version: string;
  /** The bundle folder it was loaded from (recorded with each batch). */
  dir: string | null;
  threshold: number;
  riskCuts: { medium: number; high: number };
  preprocess: PreprocessParams;
  scorer: OnnxScorer;
  /** The training data's range per feature (from the bundle's reference), for the far-outside-training warning. */
  trainingRange?: FeatureRange;
}
