import type { ModelInfo } from '../api/outputs';
import { calibratedProbability, type PlattCalibration, type TreeEnsemble } from '../model/tree';
import type { PreprocessParams } from '../preprocess/pipeline';
import { type LoadedScreeningModel, loadScreeningModel } from '../screening/load-model';
import { type LiveValue, readLive } from './live-settings';
import type { LoadedModel, ModelProvider } from './ports';
import { createFactorExplainer } from './worklist/risk-factors';

interface ModelParts {
  version: string;
  threshold: number;
  riskCuts: { medium: number; high: number };
  trainedAt: string | null;
  preprocess: PreprocessParams;
  /** Raw-margin trees for explanations; null when the bundle has none. */
  ensemble: TreeEnsemble | null;
  /** Maps a raw margin to the reported probability; absent in bundles without one. */
  calibration?: PlattCalibration | null;
}

function loadedModelFrom(parts: ModelParts): LoadedModel {
  const info: ModelInfo = {
    version: parts.version,
    threshold: parts.threshold,
    riskCuts: parts.riskCuts,
    trainedAt: parts.trainedAt,
  };
  return {
    info,
    imputeMedians: parts.preprocess.imputeMedians,
    explain: parts.ensemble ? createFactorExplainer(parts.ensemble, parts.preprocess) : null,
    calibrate: parts.calibration
      ? (margin) => calibratedProbability(parts.calibration as PlattCalibration, margin)
      : null,
  };
}

export interface AppModels {
  provider: ModelProvider;
  screening: () => Promise<{ ok: true; model: LoadedScreeningModel } | { ok: false; problem: string }>;
  /** Forgets the loaded model, so the next call loads the folder again (after a promote or rollback). */
  reload(): void;
}

/**
 * The production bundle, loaded once through the registry (every sha256 verified; one ORT session) and shared by
 * scoring and the detail view. A failed load is not cached, so installing or repairing the model takes effect
 * without a restart.
 */
export function bundleModels(
  dir: string,
  riskCutsSetting: LiveValue<{ medium: number; high: number } | null> = null,
): AppModels {
  let loading: Promise<{ screening: LoadedScreeningModel; loaded: LoadedModel }> | null = null;
  let loadedCuts = '';
  const load = () => {
    // Changed cuts (a saved setting) load the bundle again, so the next import categorises by them.
    const riskCuts = readLive(riskCutsSetting);
    if (JSON.stringify(riskCuts) !== loadedCuts) loading = null;
    loadedCuts = JSON.stringify(riskCuts);
    loading ??= (async () => {
      const screening = await loadScreeningModel(dir, { riskCuts });
      const loaded = loadedModelFrom({
        version: screening.version,
        threshold: screening.threshold,
        riskCuts: screening.riskCuts,
        trainedAt: screening.bundle.metadata.training_date ?? null,
        preprocess: screening.preprocess,
        ensemble: screening.bundle.ensemble,
        calibration: screening.bundle.calibration,
      });
      return { screening, loaded };
    })();
    loading.catch(() => {
      loading = null;
    });
    return loading;
  };
  const attempt = async <T>(pick: (m: { screening: LoadedScreeningModel; loaded: LoadedModel }) => T) => {
    try {
      return { ok: true as const, model: pick(await load()) };
    } catch (error) {
      return { ok: false as const, problem: `No usable model: ${(error as Error).message}` };
    }
  };
  return {
    provider: { production: () => attempt((m) => m.loaded) },
    screening: () => attempt((m) => m.screening),
    reload: () => {
      loading = null;
    },
  };
}
