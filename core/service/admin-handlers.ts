import type {
  ModelImportance,
  ModelList,
  ModelVersionDto,
  MonitoringSummary,
  TrainingRunDto,
} from '../api/admin-outputs';
import type { DriftReport } from '../api/drift-types';
import type { EdaReport as EdaReportDto } from '../api/eda-types';
import { fail, ok } from '../api/result';
import type { AppConfig } from '../config/app-config';
import { analyseDataset } from '../eda/analyse-dataset';
import { clinicalSummaryOf, explainScreeningBatch, importanceOf } from '../explain/explain-batch';
import { interactionReferenceFromMedians } from '../explain/fold-contributions';
import { prepareTreeShap } from '../explain/tree-shap';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { importLabels } from '../labels/label-import';
import { type MonitoringOptions, readModelExpectations, refreshMonitoring } from '../monitoring/monitoring-refresh';
import { DEFAULT_MINIMUM_LABELS } from '../monitoring/weekly-performance';
import { transformFeatures } from '../preprocess/pipeline';
import { BundleError, loadBundle } from '../registry/bundle';
import { type InstalledVersion, listInstalledVersions } from '../registry/installed-versions';
import { ModelRegistry } from '../registry/model-registry';
import type { BatchRecord } from '../store/batch-repository';
import type { Store } from '../store/store';
import type { UserRecord } from '../store/user-repository';
import type { CallContext, ScreeningHandlers } from './dispatch';

/** Where the admin views find what is not in the store. */
export interface AdminDeps {
  /** The registry root: production/, production_backup/, experiments/, archive/. */
  modelsRoot: string;
  /** The model's training data (Pima format, with Outcome) for the EDA view; null when not available here. */
  trainingDataPath: string | null;
  /** The config's monitoring section (alert line, consecutive weeks, minimum labels) and the audit actor. */
  config: AppConfig;
  /** Called after promote or rollback, so scoring and the detail view load the new production bundle. */
  onModelChanged: () => void;
}

export const ADMIN_METHODS = [
  'edaReport',
  'driftReport',
  'driftHistory',
  'importLabels',
  'monitoringSummary',
  'acknowledgeAlert',
  'listModels',
  'modelImportance',
  'promoteModel',
  'rollbackModel',
  'listTrainingRuns',
  'systemHealth',
] as const;
export type AdminMethod = (typeof ADMIN_METHODS)[number];
export type AdminHandlers = Pick<ScreeningHandlers, AdminMethod>;

/** Rows sampled per input for the SHAP summary chart (evenly spaced, deterministic). */
const SUMMARY_POINTS = 400;

/** The reference design's recall target, shown when a bundle does not state its own. */
const DEFAULT_TARGET_RECALL = 0.85;

export interface AdminHelpers {
  store: Store;
  actor(ctx: CallContext): UserRecord;
  batchRecord(batchId: string): BatchRecord | null;
  withTempFile<T>(fileName: string, content: string, run: (path: string) => Promise<T>): Promise<T>;
}

/**
 * The admin views' handlers (issue 7). Every one is `admin` access in the contract, so dispatch() has refused
 * clinicians (and audited the refusal) before any of this runs. Without `deps` (a composition root that has not
 * wired the models folder) the methods that need it answer `not-implemented`; store-only views still work.
 */
export function createAdminHandlers(helpers: AdminHelpers, deps: AdminDeps | undefined): AdminHandlers {
  const { store } = helpers;
  const notWired = () => fail('not-implemented', 'The models folder is not configured in this build.');

  const monitoringSummary = (actor: string): MonitoringSummary => {
    if (!deps) throw new Error('monitoring needs the admin deps');
    const options = monitoringOptionsOf(deps.config, deps.modelsRoot, actor);
    const snapshot = refreshMonitoring(store, options);
    const production = listInstalledVersions(deps.modelsRoot).find((v) => v.location === 'production');
    return {
      weeks: snapshot.weeks,
      estimates: snapshot.estimates,
      alerts: snapshot.alerts,
      raisedNow: snapshot.raised.length,
      targetRecall: production?.metadata?.target_recall ?? DEFAULT_TARGET_RECALL,
      alertRecall: deps.config.monitoring.recallAlertBelow,
      labelCount: store.labels.count(),
    };
  };

  const modelList = (): ModelList => {
    if (!deps) throw new Error('models need the admin deps');
    const versions = listInstalledVersions(deps.modelsRoot).map(versionDto);
    return {
      productionVersion: versions.find((v) => v.location === 'production')?.version ?? null,
      backupVersion: versions.find((v) => v.location === 'production_backup')?.version ?? null,
      versions,
    };
  };

  // Importance is a pure function of the (verified, immutable) bundle and the training file: computed once per sha.
  const importanceCache = new Map<string, Omit<ModelImportance, 'modelId'>>();

  return {
    async edaReport(arg) {
      if (arg.source === 'training') {
        if (!deps?.trainingDataPath) return fail('not-found', 'The training data file is not available here.');
        const result = await ingestCsvFile(deps.trainingDataPath, { mode: 'training' });
        if (!result.ok) {
          return fail('internal', `The training data did not load: ${result.report.fileError?.message ?? 'rejected'}`);
        }
        return ok({
          source: 'training',
          name: 'training data',
          rejectedRows: result.report.rowsRejected,
          report: analyseDataset(result.table) as EdaReportDto,
        });
      }
      const result = await helpers.withTempFile(arg.fileName, arg.content, (path) =>
        ingestCsvFile(path, { mode: 'batch', displayName: arg.fileName }),
      );
      if (!result.ok || result.table.rowCount === 0) {
        const reason = result.report.fileError?.message ?? 'it has no valid rows';
        return fail('file-rejected', `${arg.fileName} cannot be analysed: ${reason}`);
      }
      return ok({
        source: 'file',
        name: arg.fileName,
        rejectedRows: result.report.rowsRejected,
        report: analyseDataset(result.table) as EdaReportDto,
      });
    },

    async driftReport(arg) {
      const record = helpers.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const drift = store.drift.get(record.id);
      if (!drift) return fail('not-found', `Batch ${arg.batchId} was not checked for drift.`);
      return ok({
        batchId: String(record.id),
        fileName: record.fileName,
        predictionDate: record.predictionDate,
        computedAt: drift.computedAt,
        report: drift.report as DriftReport,
      });
    },

    async driftHistory(arg) {
      const points = store.drift.list(arg.limit).flatMap((drift) => {
        const batch = store.batches.get(drift.batchId);
        if (!batch) return [];
        const report = drift.report as DriftReport;
        return [
          {
            batchId: String(batch.id),
            fileName: batch.fileName,
            predictionDate: batch.predictionDate,
            rows: batch.rowsValid,
            datasetDrift: drift.datasetDrift,
            driftedCount: drift.driftedCount,
            featureCount: report.datasetDrift.featureCount,
            share: report.datasetDrift.share,
            driftedFeatures: report.driftedFeatures,
          },
        ];
      });
      return ok(points.reverse());
    },

    async importLabels(arg, ctx) {
      if (!deps) return notWired();
      const user = helpers.actor(ctx);
      const report = await helpers.withTempFile(arg.fileName, arg.content, (path) =>
        importLabels(store, path, user.username, arg.fileName),
      );
      return ok({ report, monitoring: monitoringSummary(user.username) });
    },

    async monitoringSummary(_arg, ctx) {
      if (!deps) return notWired();
      return ok(monitoringSummary(helpers.actor(ctx).username));
    },

    async acknowledgeAlert(arg, ctx) {
      const user = helpers.actor(ctx);
      const alert = store.alerts.list().find((a) => a.id === arg.alertId);
      if (!alert) return fail('not-found', `There is no alert ${arg.alertId}.`);
      if (alert.acknowledgedAt)
        return fail('conflict', `Alert ${arg.alertId} was acknowledged by ${alert.acknowledgedBy}.`);
      const acknowledged = store.transaction(() => {
        const done = store.alerts.acknowledge(alert.id, user.username);
        if (done) {
          store.audit.append({
            actor: user.username,
            action: 'alert.acknowledged',
            subject: String(alert.id),
            details: { kind: alert.kind, week: alert.week, modelVersion: alert.modelVersion, batchId: alert.batchId },
          });
        }
        return done;
      });
      if (!acknowledged) return fail('conflict', `Alert ${arg.alertId} could not be acknowledged.`);
      const updated = store.alerts.list().find((a) => a.id === arg.alertId);
      if (!updated) throw new Error(`alert ${arg.alertId} vanished`);
      return ok(updated);
    },

    async listModels() {
      if (!deps) return notWired();
      return ok(modelList());
    },

    async modelImportance(arg) {
      if (!deps) return notWired();
      if (!deps.trainingDataPath) return fail('not-found', 'The training data file is not available here.');
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
      if (!deps) return notWired();
      const user = helpers.actor(ctx);
      const candidate = listInstalledVersions(deps.modelsRoot).find((v) => v.id === arg.modelId);
      if (!candidate) return fail('not-found', `There is no model bundle ${arg.modelId}.`);
      if (candidate.location === 'production') return fail('conflict', `${arg.modelId} is already in production.`);
      const registry = new ModelRegistry(deps.modelsRoot);
      const previous = registry.productionVersion();
      let version: string;
      try {
        version = await registry.promote(candidate.dir);
      } catch (error) {
        const message = (error as Error).message;
        store.audit.append({
          actor: user.username,
          action: 'model.promote-refused',
          subject: candidate.metadata?.version ?? arg.modelId,
          details: { from: arg.modelId, production: previous, reason: message },
        });
        return fail('conflict', `Not promoted: ${message}`);
      }
      deps.onModelChanged();
      store.audit.append({
        actor: user.username,
        action: 'model.promoted',
        subject: version,
        details: { from: arg.modelId, previous },
      });
      return ok(modelList());
    },

    async rollbackModel(_arg, ctx) {
      if (!deps) return notWired();
      const user = helpers.actor(ctx);
      const registry = new ModelRegistry(deps.modelsRoot);
      const previous = registry.productionVersion();
      let version: string;
      try {
        version = await registry.rollback();
      } catch (error) {
        return fail('conflict', `Not rolled back: ${(error as Error).message}`);
      }
      deps.onModelChanged();
      store.audit.append({
        actor: user.username,
        action: 'model.rolled-back',
        subject: version,
        details: { previous },
      });
      return ok(modelList());
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

    async systemHealth(arg) {
      return ok(
        store.batches.list({ limit: arg.limit }).map((b) => ({
          batchId: String(b.id),
          fileName: b.fileName,
          source: b.source,
          status: b.status,
          startedAt: b.startedAt,
          rows: b.rowsRead,
          rejectedRows: b.rowsRejected,
          rejectedByRule: b.rejectedByRule,
          durationMs: b.durationMs,
          rowsPerSecond: b.rowsPerSecond,
          retryAttempts: b.retryAttempts,
          peakRssMb: b.peakRssBytes === null ? null : b.peakRssBytes / (1024 * 1024),
          cpuUserMs: b.cpuUserMs,
          cpuSystemMs: b.cpuSystemMs,
        })),
      );
    },
  };
}

/**
 * The same rules as `npm run monitor` (core/cli/monitor.ts monitoringOptions, checked equal in a test). Not imported
 * from there: CLI modules run top-level code and must stay out of the Electron bundle.
 */
export function monitoringOptionsOf(config: AppConfig, modelsRoot: string, actor: string): MonitoringOptions {
  return {
    expectations: readModelExpectations(modelsRoot),
    recallRule: {
      recallBelow: config.monitoring.recallAlertBelow,
      consecutiveWeeks: config.monitoring.consecutiveWeeks,
    },
    minimum: { labels: config.monitoring.minLabelsPerWeek, positives: DEFAULT_MINIMUM_LABELS.positives },
    actor,
  };
}

function versionDto(v: InstalledVersion): ModelVersionDto {
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
  };
}
