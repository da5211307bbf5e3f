import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { RiskCategory } from '../api/outputs';
import { DEFAULT_BORDERLINE_BAND } from '../explain/borderline';
import { CsvIngest } from '../ingest/csv-ingest';
import type { ModelMatrix } from '../preprocess/model-matrix';
import { toFloat32RowMajor } from '../preprocess/model-matrix';
import { transformFeatures } from '../preprocess/pipeline';
import { MODEL_FEATURES } from '../schema/columns';
import { type AsyncBatchWriter, inProcessWriterHost } from '../store/batch-writer-host';
import { DuplicateBatchError } from '../store/sqlite-batch-writer';
import type { PatientTable } from '../table/patient-table';
import { type BatchMemoryProbe, startBatchMemoryProbe } from './batch-memory';
import { batchMeta, fileProblems, recordHeld, recordRejected, toStoreIssues } from './batch-records';
import { categoriseInto } from './categorise';
import { faultPoint } from './fault-injection';
import { digestFile } from './file-digest';
import { awaitReadyFile, FileNotReadyError } from './file-readiness';
import { encodeOutputRows, formatReviewRows, OUTPUT_HEADER, REVIEW_HEADER } from './output-csv';
import { defaultOutputPath, reviewPathFor, tempPathFor } from './output-files';
import type { IngestLike, ParseHost } from './parse-host';
import { ScreenFailure, type ScreenStage } from './screen-failure';
import type { ScreenFileOptions, ScreenOutcome } from './screen-file-types';
import { fsyncDir, settleTempOutputs } from './settle-outputs';
import { type ShadowInFlight, shadowScoring, storedShadowOutcome } from './shadow-scoring';
import { emptyTimings, type StageTimings } from './stage-timings';

export { defaultOutputPath, reviewPathFor } from './output-files';
export { ScreenFailure } from './screen-failure';
export type { BatchObserver, ScreenFileOptions, ScreenOutcome, ScreenProgress } from './screen-file-types';
export { settleTempOutputs } from './settle-outputs';
export type { StageTimings } from './stage-timings';

/**
 * The daily job, streamed end to end: ingest chunks -> preprocess -> score -> categorise -> output CSV (temp file)
 * -> store (rows written chunk by chunk under a batch no reader shows; ONE tiny transaction commits it). The batch
 * commits, recording the output's final path and sha256, before the temp files are renamed into place; the next
 * run finishes (renames) the temp files of a committed batch and removes those of one that never committed, so the
 * files on disk and the batches in the database agree after a crash at any point.
 */

export async function screenFile(options: ScreenFileOptions): Promise<ScreenOutcome> {
  const memory = startBatchMemoryProbe();
  try {
    return await screenMeasured(options, memory);
  } finally {
    memory.stop();
  }
}

async function screenMeasured(options: ScreenFileOptions, memory: BatchMemoryProbe): Promise<ScreenOutcome> {
  const now = options.now ?? (() => new Date());
  const clock = performance.now.bind(performance);
  const tStart = clock();
  const cpuStart = process.cpuUsage();
  const timings = emptyTimings();
  // Wall time per stage, and when asked CPU time (all threads of the process) per stage: CPU time is what a
  // benchmark on a busy machine can still compare.
  const stageCpu = options.stageCpu ?? false;
  const startLap = () => ({ wall: clock(), cpu: stageCpu ? process.cpuUsage() : null });
  const endLap = (lap: { wall: number; cpu: NodeJS.CpuUsage | null }, stage: Exclude<keyof StageTimings, 'cpuMs'>) => {
    timings[stage] += clock() - lap.wall;
    memory.sample();
    if (lap.cpu === null) return;
    const used = process.cpuUsage(lap.cpu);
    timings.cpuMs[stage] = (timings.cpuMs[stage] ?? 0) + (used.user + used.system) / 1000;
  };
  const fileName = basename(options.inputPath);
  const { store, model } = options;

  let t = startLap();
  let readiness: { retries: number; size: number };
  try {
    readiness = await awaitReadyFile(options.inputPath, options.retry, fileName);
  } catch (error) {
    if (error instanceof FileNotReadyError) {
      return { kind: 'not-ready', reason: error.reason, attempts: error.attempts, message: error.message };
    }
    throw error;
  }
  endLap(t, 'readinessMs');

  t = startLap();
  const digest = await digestFile(options.inputPath);
  endLap(t, 'digestMs');
  if (!options.force) {
    const statuses = options.duplicateStatuses ?? ['completed'];
    const previous = store.batches.findBySha256(digest.sha256).filter((b) => statuses.includes(b.status));
    if (previous.length > 0) return { kind: 'duplicate', sha256: digest.sha256, previous };
  }

  const outputPath = options.outputPath ?? defaultOutputPath(options.outputDir, options.inputPath);
  mkdirSync(dirname(outputPath), { recursive: true, mode: 0o700 });
  settleTempOutputs(dirname(outputPath), store);
  const predictionDate = now().toISOString();
  const startedAt = predictionDate;
  const rowsExpected = Math.max(0, digest.lineBreaks - 1);
  options.observer?.expect?.(rowsExpected);

  const shadow = shadowScoring(options.shadow ?? null, model.preprocess);
  const host = options.writerHost ?? inProcessWriterHost(store);
  let writer: AsyncBatchWriter | null = null;
  const tempPath = tempPathFor(outputPath);
  const reviewPath = reviewPathFor(outputPath);
  const reviewTempPath = tempPathFor(reviewPath);
  const band = options.borderlineBand ?? DEFAULT_BORDERLINE_BAND;
  let reviewFd: number | null = null;
  let borderlineCount = 0;
  let fd: number | null = null;
  let iterator: AsyncIterator<PatientTable> | null = null;
  const outHash = createHash('sha256');
  let stage: ScreenStage = 'starting the batch';
  /** Set once the batch committed: a failure after it must leave its temp files for settleTempOutputs. */
  let stored: { batchId: number; outputsInPlace: boolean } | null = null;
  const write = (bytes: Uint8Array) => {
    outHash.update(bytes);
    writeSync(fd as number, bytes);
  };
  const abandon = async () => {
    // Stop reading (closes the file; tells the parse thread to drop it), then undo the batch and the temp file.
    await iterator?.return?.(undefined).catch(() => undefined);
    iterator = null;
    options.observer?.close?.();
    const open = writer;
    writer = null;
    if (open) await open.rollback();
    if (fd !== null) closeSync(fd);
    fd = null;
    rmSync(tempPath, { force: true });
    if (reviewFd !== null) closeSync(reviewFd);
    reviewFd = null;
    rmSync(reviewTempPath, { force: true });
  };

  try {
    // The batch's row is written now (as 'running', which no reader shows): it can wait for another writer's lock.
    writer = await host.begin(batchMeta(options, digest, predictionDate, startedAt));
    stage = 'opening the output files';
    fd = openSync(tempPath, 'w', 0o600);
    write(Buffer.from(`${OUTPUT_HEADER}\n`));
    reviewFd = openSync(reviewTempPath, 'w', 0o600);
    writeSync(reviewFd, `${REVIEW_HEADER}\n`);
    stage = 'reading and scoring';
    const ingestOptions = {
      mode: 'batch' as const,
      trainingRange: model.trainingRange,
      units: options.ingest?.units,
      maxLineLength: options.ingest?.maxLineLength,
      displayName: fileName,
      expectedRows: rowsExpected,
    };
    const threaded = options.parseHost && digest.bytes >= (options.parseInWorkerMinBytes ?? 4_000_000);
    const ingest: IngestLike = threaded
      ? (options.parseHost as ParseHost).ingest(options.inputPath, ingestOptions)
      : new CsvIngest(options.inputPath, ingestOptions);
    let rowsValid = 0;
    const width = MODEL_FEATURES.length;
    // With a scorer on another thread (worker-scorer.ts), a two-stage pipeline: chunk k is scored there while this
    // thread finishes chunk k-1 and parses chunk k+1. Chunks are finished (categorised, written, stored) strictly
    // in file order.
    interface InFlight {
      table: PatientTable;
      matrix: ModelMatrix;
      scores: Float64Array;
      /** Resolves to the scoring error, if any (caught at once: a rejection must not go unhandled meanwhile). */
      scored: Promise<Error | null>;
      shadow: ShadowInFlight | null;
    }
    const finish = async (chunk: InFlight) => {
      const { table, matrix, scores } = chunk;
      const n = table.rowCount;
      t = startLap();
      const failure = await chunk.scored;
      endLap(t, 'scoreMs');
      if (failure) throw failure;
      faultPoint('after-score');

      t = startLap();
      const recommendations = new Uint8Array(n);
      const categories: RiskCategory[] = new Array(n);
      categoriseInto(scores, n, model.threshold, model.riskCuts, categories, recommendations);
      endLap(t, 'categoriseMs');

      t = startLap();
      const shadowScores = chunk.shadow ? await shadow.finish(chunk.shadow, n) : null;
      endLap(t, 'shadowMs');

      t = startLap();
      write(encodeOutputRows(table.ids, recommendations, scores, categories, n, model.version, predictionDate));
      const review = formatReviewRows(table, scores, categories, model.threshold, band);
      if (review.count > 0) writeSync(reviewFd as number, review.text);
      borderlineCount += review.count;
      endLap(t, 'writeCsvMs');

      t = startLap();
      await (writer as AsyncBatchWriter).addPredictions({
        table,
        scores,
        categories,
        recommendations,
        shadow: shadowScores,
      });
      endLap(t, 'storeMs');

      if (options.observer) {
        t = startLap();
        await options.observer.chunk(table, matrix, scores);
        endLap(t, 'observeMs');
      }
      rowsValid += n;
      // Lines so far stand in for rows read: the report is complete only at the end (and lives on the parse thread).
      options.onProgress?.({ rowsRead: Math.max(rowsValid, table.lineNumbers[n - 1] - 1), rowsValid, rowsExpected });
    };
    const chunks = ingest.chunks()[Symbol.asyncIterator]();
    iterator = chunks;
    let inFlight: InFlight | null = null;
    for (;;) {
      t = startLap();
      const next = await chunks.next();
      endLap(t, 'parseMs');
      if (next.done) {
        iterator = null;
        break;
      }
      const table = next.value;
      const n = table.rowCount;

      t = startLap();
      const matrix = transformFeatures(model.preprocess, table);
      const input = toFloat32RowMajor(matrix, new Float32Array(n * width));
      const scores = new Float64Array(n);
      const scored = model.scorer.scoreInto(input, n, scores).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
      endLap(t, 'preprocessMs');

      t = startLap();
      const shadowInFlight = shadow.start(table, input);
      endLap(t, 'shadowMs');

      const current: InFlight = { table, matrix, scores, scored, shadow: shadowInFlight };
      if (!model.scorer.concurrent) {
        // Scored on this thread: nothing to overlap, and each stage's time stays its own.
        await finish(current);
        continue;
      }
      const previous: InFlight | null = inFlight;
      inFlight = current;
      if (previous) await finish(previous);
    }
    if (inFlight) {
      const last: InFlight = inFlight;
      inFlight = null;
      await finish(last);
    }
    const report = ingest.report;
    faultPoint('after-parse');

    // The bytes parsed must be the bytes hashed: a file that changed in between is not what was checked.
    if (report.status !== 'rejected' && ingest.sha256 !== digest.sha256) {
      await abandon();
      if ((options.retry.attempts ?? 0) > readiness.retries) {
        return screenFile({
          ...options,
          retry: { ...options.retry, attempts: options.retry.attempts - 1 - readiness.retries },
        });
      }
      return {
        kind: 'not-ready',
        reason: 'growing',
        attempts: readiness.retries + 1,
        message: `${fileName} changed while it was being read; try again once it is complete`,
      };
    }

    // Held before the check for valid rows: an Age in months rejects every row, and "looks like months" says why.
    if (report.status !== 'rejected' && report.hold) {
      await abandon();
      return await recordHeld(options, report, report.hold, digest, readiness.retries, {
        predictionDate,
        startedAt,
        tStart,
        cpuStart,
        memory,
      });
    }

    const problems = fileProblems(report);
    if (problems.length > 0) {
      await abandon();
      return await recordRejected(options, report, problems, digest, readiness.retries, {
        predictionDate,
        startedAt,
        tStart,
        cpuStart,
        memory,
      });
    }

    stage = 'storing';
    // The drift tests may run on their own thread: they start first, and the outputs are flushed meanwhile.
    const driftFinishing = options.observer?.finish().then(
      (result) => ({ result, error: null }),
      (error: unknown) => ({ result: null, error }),
    );
    t = startLap();
    await writer.addRejected([...toStoreIssues(report.errors), ...toStoreIssues(report.warnings)]);
    endLap(t, 'storeMs');

    t = startLap();
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    fsyncSync(reviewFd);
    closeSync(reviewFd);
    reviewFd = null;
    endLap(t, 'commitMs');

    let driftSummary: object | undefined;
    let driftToStore: { verdict: { datasetDrift: boolean; driftedCount: number }; report: unknown } | null = null;
    if (driftFinishing) {
      t = startLap();
      const { result: drift, error } = await driftFinishing;
      if (error) throw error;
      if (drift) {
        driftToStore = {
          verdict: { datasetDrift: drift.datasetDrift, driftedCount: drift.driftedCount },
          report: drift.report,
        };
        driftSummary = {
          drift: drift.summary ?? { datasetDrift: drift.datasetDrift, driftedCount: drift.driftedCount },
        };
      }
      endLap(t, 'observeMs');
    }

    faultPoint('after-store');
    stage = 'committing';
    t = startLap();
    const cpu = process.cpuUsage(cpuStart);
    const durationMs = clock() - tStart;
    const committing = writer;
    writer = null;
    const outputSha256 = outHash.digest('hex');
    const batch = await committing.commit(
      {
        status: 'completed',
        rowsRead: report.rowsRead,
        rowsRejected: report.rowsRejected,
        rowsWithWarnings: report.rowsWithWarnings,
        rejectedByRule: report.rejectedByRule as Record<string, number>,
        warningsByRule: report.warningsByRule as Record<string, number>,
        retryAttempts: readiness.retries,
        durationMs,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        batchMemoryBytes: memory.stop(),
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        outputPath,
        outputSha256,
        errors: [],
        units: report.units,
        auditDetails: { output: basename(outputPath), outputSha256, ...driftSummary },
        shadow: shadow.commit(),
      },
      driftToStore,
    );
    stored = { batchId: batch.id, outputsInPlace: false };
    stage = 'moving the outputs into place';
    faultPoint('after-commit');
    // Committed first, renamed second: a crash in between leaves temp files whose batch committed, which the
    // next run renames into place (settleTempOutputs); a crash before the commit leaves temps it removes.
    renameSync(tempPath, outputPath);
    renameSync(reviewTempPath, reviewPath);
    fsyncDir(dirname(outputPath));
    stored.outputsInPlace = true;
    faultPoint('after-rename');
    timings.writeLockMs = committing.writeLockMs;
    endLap(t, 'commitMs');
    timings.totalMs = clock() - tStart;
    const cpuTotal = process.cpuUsage(cpuStart);
    timings.cpuMs.totalMs = (cpuTotal.user + cpuTotal.system) / 1000;
    const shadowOutcome = storedShadowOutcome(store, batch.id, shadow.commit());
    return {
      kind: 'completed',
      batch,
      outputPath,
      reviewPath,
      borderlineCount,
      report,
      timings,
      shadow: shadowOutcome,
    };
  } catch (error) {
    // The retry of a file that changed while it was read failed on its own, and cleaned up after itself.
    if (error instanceof ScreenFailure) throw error;
    if (stored !== null) throw new ScreenFailure(fileName, stage, error, stored, dirname(outputPath));
    await abandon();
    if (error instanceof DuplicateBatchError)
      return { kind: 'duplicate', sha256: error.sha256, previous: error.previous };
    throw new ScreenFailure(fileName, stage, error, null, dirname(outputPath));
  }
}
