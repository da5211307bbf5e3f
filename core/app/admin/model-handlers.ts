import type {
  ModelImportance,
  ModelList,
  ModelVersionDto,
  PromotionRequestDto,
  TrainingRunDto,
} from '../../api/admin-outputs';
import { fail, ok, type Result } from '../../api/result';
import { clinicalSummaryOf, explainScreeningBatch, importanceOf } from '../../explain/explain-batch';
import { interactionReferenceFromMedians } from '../../explain/fold-contributions';
import { prepareTreeShap } from '../../explain/tree-shap';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import { transformFeatures } from '../../preprocess/pipeline';
import { BundleError, loadBundle } from '../../registry/bundle';
import { type InstalledVersion, listInstalledVersions } from '../../registry/installed-versions';
import {
  archivable,
  createRegistryService,
  promotable,
  RegistryError,
  type RegistryService,
  restorable,
} from '../../registry/registry-service';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';
import { type AdminDeps, notWired, TRAINING_DATA_MISSING } from './admin-deps';

/** Rows sampled per input for the SHAP summary chart (evenly spaced, deterministic). */
const SUMMARY_POINTS = 400;

export { promotable };

/** The models view: installed versions, their importance, promote and rollback, and the training runs. */
export function modelHandlers(app: AppContext): GroupHandlers<'models'> {
  const { store } = app;
  // Importance is a pure function of the (verified, immutable) bundle and the training file: computed once per sha.
  const importanceCache = new Map<string, Omit<ModelImportance, 'modelId'>>();

  return {
    async listModels() {
      if (!app.admin) return notWired();
      return ok(modelListOf(registryServiceOf(app, app.admin)));
    },

    async modelImportance(arg) {
      const deps = app.admin;
      if (!deps) return notWired();
      if (!deps.trainingDataPath) return fail('not-found', TRAINING_DATA_MISSING);
      const listed = listInstalledVersions(deps.modelsRoot).find((v) => v.id === arg.modelId);
      if (!listed) return fail('not-found', `There is no model bundle ${arg.modelId}.`);
      let bundle: Awaited<ReturnType<typeof loadBundle>>;
      try {
        bundle = await loadBundle(listed.dir);
      } catch (error) {
        if (error instanceof BundleError)
          return fail('conflict', `The bundle ${arg.modelId} is not usable: ${error.message}`);
        throw error;
      }
      const key = `${bundle.metadata.files['trees.json']}:${bundle.metadata.files['preprocessing.json']}`;
      let computed = importanceCache.get(key);
      if (!computed) {
        const data = await ingestCsvFile(deps.trainingDataPath, { mode: 'training' });
        if (!data.ok) return fail('internal', 'The training data did not load.');
        const matrix = transformFeatures(bundle.preprocess, data.table);
        const explanations = explainScreeningBatch(
          prepareTreeShap(bundle.ensemble),
          matrix.columns,
          data.table.features,
          data.table.rowCount,
          interactionReferenceFromMedians(bundle.preprocess.imputeMedians),
        );
        computed = {
          version: bundle.metadata.version,
          rows: data.table.rowCount,
          ...importanceOf(explanations),
          summary: clinicalSummaryOf(explanations, data.table.features, SUMMARY_POINTS),
        };
        importanceCache.set(key, computed);
      }
      return ok({ modelId: arg.modelId, ...computed });
    },

    async promoteModel(arg, ctx) {
      if (!app.admin) return notWired();
      const service = registryServiceOf(app, app.admin);
      return registryCall(async () => {
        await service.promote(arg.modelId, app.actor(ctx).username, arg.overrideReason ?? null);
        return modelListOf(service);
      });
    },

    async rollbackModel(_arg, ctx) {
      if (!app.admin) return notWired();
      const service = registryServiceOf(app, app.admin);
      return registryCall(async () => {
        await service.rollback(app.actor(ctx).username);
        return modelListOf(service);
      });
    },

    async listTrainingRuns() {
      const runs: TrainingRunDto[] = store.experiments.listRuns().map((run) => ({
        id: run.id,
        name: run.name,
        kind: run.kind,
        status: run.status,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        params: run.params,
        tags: run.tags,
        metrics: run.metrics,
        trials: store.experiments.listTrials(run.id).map((t) => ({
          number: t.number,
          value: t.value,
          state: t.state,
          params: t.params,
          metrics: t.metrics,
        })),
      }));
      return ok(runs);
    },
  };
}

/** The registry service over the app's store and admin deps (the CLI builds the same one over its own). */
export function registryServiceOf(app: AppContext, deps: AdminDeps): RegistryService {
  return createRegistryService({
    modelsRoot: deps.modelsRoot,
    store: app.store,
    policy: deps.config.models,
    shadowEvidenceFor: deps.shadowEvidenceFor,
    onModelChanged: deps.onModelChanged,
  });
}

/** Runs a registry operation; its refusals (RegistryError) become the contract's errors with their message. */
export async function registryCall<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof RegistryError) return fail(error.code, error.message);
    throw error;
  }
}

export function modelListOf(service: RegistryService): ModelList {
  const installed = service.list();
  const production = installed.find((v) => v.location === 'production')?.metadata?.version ?? null;
  const versions = installed.map((v) => versionDto(v, production));
  return {
    productionVersion: versions.find((v) => v.location === 'production')?.version ?? null,
    backupVersion: versions.find((v) => v.location === 'production_backup')?.version ?? null,
    versions,
    pendingPromotions: service.pendingRequests().map((r) => ({
      requestId: r.id,
      modelId: r.modelId,
      version: r.version,
      requestedBy: r.requestedBy,
      requestedAt: r.requestedAt,
      overrideReason: r.overrideReason,
      gates: r.gates as PromotionRequestDto['gates'],
    })),
    requireSecondApprover: service.requireSecondApprover,
  };
}

function versionDto(v: InstalledVersion, productionVersion: string | null): ModelVersionDto {
  const m = v.metadata;
  return {
    id: v.id,
    location: v.location,
    version: m?.version ?? null,
    problem: v.problem,
    algorithm: m?.algorithm ?? null,
    trainedAt: m?.training_date ?? null,
    threshold: m?.optimal_threshold ?? null,
    targetRecall: m?.target_recall ?? null,
    riskCuts: m?.risk_cuts ?? null,
    calibration: m?.calibration ?? null,
    testMetrics: m?.test_metrics ?? {},
    validationEstimates: m?.validation_estimates ?? null,
    cvEstimates: m?.cv_estimates ?? null,
    bestParams: m?.best_params ?? {},
    modelCard: v.modelCard,
    canPromote: promotable(v, productionVersion),
    canRollBack: v.location === 'production_backup' && !v.problem,
    canRestore: restorable(v, productionVersion),
    canArchive: archivable(v),
  };
}
