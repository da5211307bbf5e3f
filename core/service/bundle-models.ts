import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelInfo } from '../api/outputs';
import type { TreeEnsemble } from '../model/tree';
import type { PreprocessParams } from '../preprocess/pipeline';
import { readBundle, screeningModelFromBundle } from '../screening/load-model';
import type { ScreeningModel } from '../screening/screening-model';
import type { LoadedModel, ModelProvider } from './ports';
import { createFactorExplainer } from './risk-factors';

export interface ModelParts {
  version: string;
  threshold: number;
  riskCuts: { medium: number; high: number };
  trainedAt: string | null;
  preprocess: PreprocessParams;
  /** Raw-margin trees for explanations; null when the bundle has none. */
  ensemble: TreeEnsemble | null;
}

export function loadedModelFrom(parts: ModelParts): LoadedModel {
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
  };
}

export interface AppModels {
  provider: ModelProvider;
  screening: () => Promise<{ ok: true; model: ScreeningModel } | { ok: false; problem: string }>;
}

/**
 * The production bundle, loaded once (one ORT session) and shared by scoring and the detail view. A failed load
 * is not cached, so installing or repairing the model takes effect without a restart.
 */
export function bundleModels(dir: string, riskCuts: { medium: number; high: number } | null = null): AppModels {
  let loading: Promise<{ screening: ScreeningModel; loaded: LoadedModel }> | null = null;
  const load = () => {
    loading ??= (async () => {
      const bundle = readBundle(dir);
      const metadata = bundle.metadata as typeof bundle.metadata & {
        training_date?: string;
        files?: Record<string, string>;
      };
      const screening = await screeningModelFromBundle(bundle, { riskCuts });
      const loaded = loadedModelFrom({
        version: screening.version,
        threshold: screening.threshold,
        riskCuts: screening.riskCuts,
        trainedAt: metadata.training_date ?? null,
        preprocess: bundle.preprocess,
        ensemble: readTrees(dir, metadata.files?.['trees.json']),
      });
      return { screening, loaded };
    })();
    loading.catch(() => {
      loading = null;
    });
    return loading;
  };
  const attempt = async <T>(pick: (m: { screening: ScreeningModel; loaded: LoadedModel }) => T) => {
    try {
      return { ok: true as const, model: pick(await load()) };
    } catch (error) {
      return { ok: false as const, problem: `No usable model: ${(error as Error).message}` };
    }
  };
  return {
    provider: { production: () => attempt((m) => m.loaded) },
    screening: () => attempt((m) => m.screening),
  };
}

/** trees.json only when its checksum is listed and matches: explanations from unverified trees would mislead. */
function readTrees(dir: string, sha256: string | undefined): TreeEnsemble | null {
  const path = join(dir, 'trees.json');
  if (!sha256 || !existsSync(path)) return null;
  const bytes = readFileSync(path);
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) return null;
  return JSON.parse(bytes.toString('utf8')) as TreeEnsemble;
}
