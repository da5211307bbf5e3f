import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fail, ok } from '../../api/result';
import type {
  RetrainDatasetSummary,
  RetrainJobDto,
  RetrainMetricsDto,
  RetrainResultDto,
} from '../../api/retrain-methods';
import { DEFAULT_HELD_OUT_WEEKS, heldOutWeeks } from '../../retrain/held-out-weeks';
import { assembleFromStore, loadOriginalTrainingData, snapshotDataset } from '../../retrain/prepare-dataset';
import { emptyFeatureColumns, type PatientTable } from '../../table/patient-table';
import type { AppContext } from '../app-context';
import type { CallContext, GroupHandlers } from '../dispatch';
import { notWired } from './admin-deps';
import {
  locateRetrainTool,
  RETRAIN_TOOL_MISSING,
  type RetrainTool,
  type RunningTool,
  startRetrainTool,
  type ToolMessage,
} from './retrain-process';

const ORIGINAL_MISSING =
  'The original training data file is not available here; retraining adds the labelled patients to it (set GLUCOSCREEN_TRAINING_DATA).';

interface Job {
  dto: RetrainJobDto;
  tool: RunningTool | null;
  staging: string;
  /** experiments/ when the job started: what appears beside these is from this job's tool. */
  experimentsBefore: Set<string>;
  cancelledBy: string | null;
  emit: CallContext['emit'];
}

/**
 * Retraining from the Models view: the training set is assembled, snapshotted and recorded here (inside the call, so
 * it is what the admin was shown and is audited), then trained by the training tool (a worker thread or a child
 * process, retrain-process.ts) whose JSON lines become `retrainProgress` events. One job at a time. The tool builds
 * the candidate in a staging folder and renames it into experiments/ only when complete; a cancel stops it and
 * removes that folder.
 */
export function retrainHandlers(
  app: AppContext,
  extraToolArgs: readonly string[] = [],
  locateTool: () => RetrainTool | null = locateRetrainTool,
): GroupHandlers<'retrain'> {
  const { store } = app;
  let job: Job | null = null;
  const running = () => job !== null && job.tool !== null;

  const publish = (j: Job) => j.emit('retrainProgress', { ...j.dto });

  const summaryOf = (original: PatientTable | null, blocked: string | null): RetrainDatasetSummary => {
    const { set, counts } = assembleFromStore(store, original ?? emptyTrainingTable());
    const split = heldOutWeeks(set, DEFAULT_HELD_OUT_WEEKS);
    return {
      rowsTotal: set.table.rowCount,
      rowsBySource: counts.rowsBySource,
      positivesBySource: counts.positivesBySource,
      excluded: counts.excluded,
      labelFrom: counts.labelFrom,
      labelTo: counts.labelTo,
      heldOut: {
        weeks: split.weeks,
        rows: split.heldOut.length,
        positives: split.positives,
        usable: split.usable,
        reason: split.reason,
      },
      blocked,
    };
  };

  const onToolMessage = (j: Job, message: ToolMessage) => {
    if (message.type === 'run' && typeof message.runId === 'number') j.dto.runId = message.runId;
    else if (message.type === 'progress') {
      j.dto.phase = message.phase as RetrainJobDto['phase'];
      j.dto.done = Number(message.done) || 0;
      j.dto.total = Number(message.total) || null;
    } else if (message.type === 'done') {
      j.dto.result = resultOf(message, app.admin?.modelsRoot ?? '');
      j.dto.phase = 'writing';
    } else if (message.type === 'error') j.dto.message = String(message.message);
    else return;
    publish(j);
  };

  /** After the tool exits: the job's final state, a run left 'running' closed, the outcome audited. */
  const settle = async (j: Job, code: number | null, stderrTail: string) => {
    j.tool = null;
    rmSync(j.staging, { recursive: true, force: true });
    await app.exclusive(() => {
      const runId = j.dto.runId;
      const run = runId === null ? null : store.experiments.getRun(runId);
      // A cancel that came after the tool's `done` line was read finds a complete candidate: it stays done.
      if (code === 0 && j.dto.result) j.dto.phase = 'done';
      else if (j.cancelledBy !== null) j.dto.phase = 'cancelled';
      else {
        j.dto.phase = 'failed';
        j.dto.message ??= stderrTail.split('\n').filter(Boolean).pop() ?? `the training tool exited with ${code}`;
      }
      // A tool stopped after it moved its candidate into experiments/ but before its `done` line was read leaves a
      // bundle (and perhaps a finished run) that the admin was told did not happen: both are undone, so that a
      // cancelled or failed job never leaves a candidate and the files and the run record agree.
      const orphans = j.dto.phase === 'done' ? [] : candidatesOf(j, app.admin?.modelsRoot ?? '');
      for (const orphan of orphans) rmSync(orphan, { recursive: true, force: true });
      if (j.dto.phase !== 'done' && runId !== null && (run?.status === 'running' || orphans.length > 0)) {
        const reason = j.cancelledBy !== null ? `cancelled by ${j.cancelledBy}` : (j.dto.message ?? 'failed');
        store.experiments.finishRun(runId, { status: 'failed', artifactPaths: [], metrics: { error: reason } });
      }
      if (j.dto.phase === 'done' && j.dto.result) {
        store.audit.append({
          actor: j.dto.startedBy,
          action: 'retrain.finished',
          subject: j.dto.result.version,
          details: {
            operationId: j.dto.operationId,
            dataset: j.dto.dataset.sha256,
            runId,
            model: j.dto.result.modelId,
          },
        });
      } else if (j.dto.phase === 'failed') {
        store.audit.append({
          actor: j.dto.startedBy,
          action: 'retrain.failed',
          subject: 'retrain',
          details: { operationId: j.dto.operationId, dataset: j.dto.dataset.sha256, runId, reason: j.dto.message },
        });
      }
    });
    publish(j);
  };

  return {
    async retrainPreview() {
      const deps = app.admin;
      if (!deps) return notWired();
      const tool = locateTool();
      const blocked = !deps.trainingDataPath ? ORIGINAL_MISSING : !tool ? RETRAIN_TOOL_MISSING : null;
      const original = deps.trainingDataPath ? await loadOriginalTrainingData(deps.trainingDataPath) : null;
      return ok(summaryOf(original, blocked));
    },

    async startRetrain(arg, ctx) {
      const deps = app.admin;
      if (!deps) return notWired();
      if (running()) return fail('conflict', 'A retraining run is in progress; cancel it or wait for it to finish.');
      if (!deps.trainingDataPath) return fail('not-found', ORIGINAL_MISSING);
      const tool = locateTool();
      if (!tool) return fail('not-implemented', RETRAIN_TOOL_MISSING);
      const user = app.actor(ctx);
      const dataDir = dirname(store.path);
      const assembled = assembleFromStore(store, await loadOriginalTrainingData(deps.trainingDataPath));
      const snapshot = snapshotDataset(store, dataDir, assembled, user.username);
      const staging = join(deps.modelsRoot, 'experiments', `.partial-retrain-${arg.operationId}`);
      const dto: RetrainJobDto = {
        operationId: arg.operationId,
        phase: 'starting',
        done: 0,
        total: null,
        startedAt: app.now().toISOString(),
        startedBy: user.username,
        dataset: {
          versionId: snapshot.version.id,
          sha256: snapshot.version.sha256,
          rowsTotal: snapshot.version.rowsTotal,
          rowsBySource: assembled.counts.rowsBySource,
        },
        runId: null,
        result: null,
        message: null,
      };
      store.audit.append({
        actor: user.username,
        action: 'retrain.started',
        subject: 'retrain',
        details: {
          operationId: arg.operationId,
          dataset: snapshot.version.sha256,
          datasetVersion: snapshot.version.id,
          datasetCreated: snapshot.created,
          rows: assembled.counts.rowsBySource,
          excluded: assembled.counts.excluded,
          trials: arg.trials,
          heldOutWeeks: arg.heldOutWeeks,
          repeatedCv: arg.repeatedCv,
        },
      });
      const j: Job = {
        dto,
        tool: null,
        staging,
        experimentsBefore: new Set(listFolder(join(deps.modelsRoot, 'experiments'))),
        cancelledBy: null,
        emit: ctx.emit,
      };
      job = j;
      const args = [
        ...['--db', store.path, '--data-dir', dataDir, '--models', deps.modelsRoot],
        ...['--dataset', snapshot.version.sha256, '--staging-dir', staging, '--actor', user.username],
        ...['--trials', String(arg.trials), '--held-out-weeks', String(arg.heldOutWeeks), '--progress', 'json'],
        ...(arg.repeatedCv ? ['--repeated-cv'] : []),
        ...extraToolArgs,
      ];
      const started = startRetrainTool(tool, args, (message) => onToolMessage(j, message));
      j.tool = started;
      // The app closing stops its run too, and leaves no partial candidate (a worker runs no cleanup of its own).
      const stopWithApp = () => {
        started.cancel();
        rmSync(staging, { recursive: true, force: true, maxRetries: 3 });
      };
      process.once('exit', stopWithApp);
      void started.exited.then((code) => {
        process.off('exit', stopWithApp);
        return settle(j, code, started.stderrTail());
      });
      publish(j);
      return ok({ ...dto });
    },

    async cancelRetrain(arg, ctx) {
      const j = job;
      if (!j || j.dto.operationId !== arg.operationId) return fail('not-found', 'There is no such retraining run.');
      if (!j.tool) return fail('conflict', `The retraining run has ended already (${j.dto.phase}).`);
      const user = app.actor(ctx);
      j.cancelledBy = user.username;
      store.audit.append({
        actor: user.username,
        action: 'retrain.cancelled',
        subject: 'retrain',
        details: { operationId: j.dto.operationId, dataset: j.dto.dataset.sha256, runId: j.dto.runId },
      });
      j.tool.cancel();
      await j.tool.exited;
      return ok({ ...j.dto, phase: 'cancelled' });
    },

    async retrainStatus() {
      return ok(job ? { ...job.dto } : null);
    },
  };
}

function listFolder(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder) : [];
}

/** The bundles in experiments/ that appeared during the job and were trained on its data set. */
function candidatesOf(j: Job, modelsRoot: string): string[] {
  const experiments = join(modelsRoot, 'experiments');
  return listFolder(experiments)
    .filter((name) => !name.startsWith('.') && !j.experimentsBefore.has(name))
    .map((name) => join(experiments, name))
    .filter((bundle) => {
      try {
        const metadata = JSON.parse(readFileSync(join(bundle, 'metadata.json'), 'utf8'));
        return metadata?.training_dataset?.sha256 === j.dto.dataset.sha256;
      } catch {
        return false;
      }
    });
}

function emptyTrainingTable(): PatientTable {
  return {
    rowCount: 0,
    ids: [],
    lineNumbers: new Uint32Array(0),
    features: emptyFeatureColumns(0),
    outcome: new Uint8Array(0),
  };
}

function metricsDto(m: unknown): RetrainMetricsDto {
  const r = (m ?? {}) as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    rows: n(r.rows) ?? 0,
    positives: n(r.positives) ?? 0,
    recall: n(r.recall),
    precision: n(r.precision),
    f2: n(r.f2),
    auc: n(r.auc),
  };
}

/** The tool's `done` message as the contract's result; the bundle is named by its registry id, never its path. */
function resultOf(message: ToolMessage, modelsRoot: string): RetrainResultDto {
  const evaluation = (message.evaluation ?? {}) as Record<string, unknown>;
  const held = (evaluation.timeHeldOut ?? {}) as Record<string, unknown>;
  const cv = evaluation.repeatedCv as Record<string, { mean: number }> | null | undefined;
  return {
    runId: typeof message.runId === 'number' ? message.runId : null,
    version: String(message.version),
    modelId: relative(modelsRoot, String(message.bundleDir)).split(sep).join('/'),
    threshold: Number(evaluation.threshold),
    crossValidated: metricsDto(evaluation.oof),
    test: metricsDto(evaluation.test),
    repeatedCv: cv ? { recall: cv.recall.mean, precision: cv.precision.mean, f2: cv.f2.mean, auc: cv.auc.mean } : null,
    timeHeldOut: {
      weeks: (held.weeks as string[] | undefined) ?? [],
      evaluated: held.evaluated === true,
      reason: typeof held.reason === 'string' ? held.reason : null,
      metrics: held.metrics ? metricsDto(held.metrics) : null,
    },
  };
}
