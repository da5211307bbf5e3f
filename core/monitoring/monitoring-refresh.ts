import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertRecord } from '../api/monitoring-types';
import type { Store } from '../store/store';
import { raiseDueAlerts } from './alert-sweep';
import type { MonitoringAlert, RecallAlertRule } from './alerts';
import { type CbpeReference, estimatePerformance, type WeeklyEstimate } from './cbpe';
import { isoWeekOf } from './iso-week';
import {
  type MinimumLabels,
  type ValidationEstimate,
  type WeeklyPerformance,
  weeklyPerformance,
} from './weekly-performance';

/** What each installed model version says about itself, for the realised-vs-expected views. */
export interface ModelExpectations {
  validationEstimates: Record<string, ValidationEstimate>;
  cbpeReferences: Record<string, CbpeReference>;
}

export interface MonitoringOptions {
  expectations: ModelExpectations;
  recallRule: RecallAlertRule;
  minimum: MinimumLabels;
  /** Who refreshed (the audit actor for newly raised alerts). */
  actor: string;
}

interface MonitoringSnapshot {
  weeks: WeeklyPerformance[];
  /** Label-free estimates per week and model version, over every prediction (labelled or not). */
  estimates: WeeklyEstimate[];
  /** Every stored alert, newest first as the store lists them. */
  alerts: AlertRecord[];
  /** Alerts this refresh raised for the first time. */
  raised: MonitoringAlert[];
}

/**
 * Recomputes weekly performance from the stored labels, estimates performance where labels have not arrived, and
 * raises the alerts the rules call for. Raising is idempotent (the store de-duplicates by kind, week, version and
 * batch), and each new alert is one audit event, so a cron job can run this as often as it likes.
 */
export function refreshMonitoring(store: Store, options: MonitoringOptions): MonitoringSnapshot {
  const weeks = weeklyPerformance(store.labels.listMatched(), {
    minimum: options.minimum,
    validationEstimates: options.expectations.validationEstimates,
    retained: store.retention.retainedPerformance(),
  });
  const estimates = weeklyEstimates(store, options.expectations.cbpeReferences);
  const raised = raiseDueAlerts(store, options, weeks);
  return { weeks, estimates, alerts: store.alerts.list(), raised };
}

/**
 * CBPE per ISO week and model version over the stored scores of every completed batch; a purged week's estimate is
 * the one kept at its purge (its scores are gone).
 */
export function weeklyEstimates(store: Store, references: Record<string, CbpeReference>): WeeklyEstimate[] {
  const retained = new Map(
    store.retention
      .retainedEstimates()
      .map((e) => [`${e.week}\u0000${e.modelVersion}`, e.estimate as WeeklyEstimate['estimate']]),
  );
  const groups = new Map<string, { week: string; modelVersion: string; scores: Float64Array[]; n: number }>();
  for (const batch of store.batches.list({ status: 'completed', limit: Number.MAX_SAFE_INTEGER })) {
    if (!batch.modelVersion || !references[batch.modelVersion]) continue;
    const week = isoWeekOf(batch.predictionDate);
    const key = `${week}\u0000${batch.modelVersion}`;
    if (retained.has(key)) continue;
    let group = groups.get(key);
    if (!group) {
      group = { week, modelVersion: batch.modelVersion, scores: [], n: 0 };
      groups.set(key, group);
    }
    for (const chunk of store.batches.iteratePredictions(batch.id)) {
      group.scores.push(chunk.scores.slice());
      group.n += chunk.scores.length;
    }
  }
  const live = [...groups.values()].map((g) => {
    const all = new Float64Array(g.n);
    let offset = 0;
    for (const part of g.scores) {
      all.set(part, offset);
      offset += part.length;
    }
    return {
      week: g.week,
      modelVersion: g.modelVersion,
      estimate: estimatePerformance(references[g.modelVersion], all),
    };
  });
  const kept = [...retained].map(([key, estimate]) => {
    const [week, modelVersion] = key.split('\u0000');
    return { week, modelVersion, estimate };
  });
  return [...live, ...kept].sort((a, b) =>
    a.week === b.week ? a.modelVersion.localeCompare(b.modelVersion) : a.week < b.week ? -1 : 1,
  );
}

/**
 * Reads validation estimates and CBPE references from every bundle under the models root (production, backup,
 * archive, experiments). Metadata only: scoring never uses these files, so no hash check is needed here.
 */
export function readModelExpectations(modelsRoot: string): ModelExpectations {
  const dirs = [join(modelsRoot, 'production'), join(modelsRoot, 'production_backup')];
  for (const group of ['archive', 'experiments']) {
    const root = join(modelsRoot, group);
    if (existsSync(root)) for (const name of readdirSync(root)) dirs.push(join(root, name));
  }
  const expectations: ModelExpectations = { validationEstimates: {}, cbpeReferences: {} };
  for (const dir of dirs) {
    const path = join(dir, 'metadata.json');
    if (!existsSync(path)) continue;
    let metadata: { version?: unknown; validation_estimates?: ValidationEstimate; cbpe_reference?: CbpeReference };
    try {
      metadata = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      continue;
    }
    if (typeof metadata.version !== 'string') continue;
    if (metadata.validation_estimates)
      expectations.validationEstimates[metadata.version] ??= metadata.validation_estimates;
    if (metadata.cbpe_reference) expectations.cbpeReferences[metadata.version] ??= metadata.cbpe_reference;
  }
  return expectations;
}
