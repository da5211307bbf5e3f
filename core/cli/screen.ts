/**
 * npm run screen -- --input batch.csv [--output out.csv] [--config config.json] [--model-dir DIR] [--force]
 * npm run screen -- --watch DIR [--once]        score each new batch_*.csv in DIR once (--once: one pass, for cron)
 * npm run screen -- --verify BATCH_ID           re-score a stored batch and confirm identical outputs
 * Exit codes: 0 done, 1 batch rejected (or verification found differences), 2 error.
 */

import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { adoptAuditKeyFile } from '../audit-key/keyring';
import type { AppConfig } from '../config/app-config';
import type { LoadedScreeningModel } from '../screening/load-model';
import type { BatchObserver, ScreenOutcome } from '../screening/screen-file';
import type { ScreeningThreads } from '../screening/threading-plan';
import type { BatchRecord } from '../store/batch-repository';
import type { Store } from '../store/store';
import { type CliLog, createCliLog } from './cli-log';
import { ProgressBar } from './progress-bar';

/**
 * The pipeline (zod, ONNX Runtime, SQLite and the rest) is loaded only past --help and argument errors, so that
 * these answer without loading it; a bundle (dist/cli) keeps these imports as chunks of their own.
 */
async function loadPipeline() {
  const [config, drift, model, screen, verify, threads, store] = await Promise.all([
    import('../config/app-config'),
    import('../screening/drift-observer'),
    import('../screening/load-model'),
    import('../screening/screen-file'),
    import('../screening/verify-batch'),
    import('../screening/threading-plan'),
    import('../store/sqlite-store'),
  ]);
  return { ...config, ...drift, ...model, ...screen, ...verify, ...threads, ...store };
}
let pipe: Awaited<ReturnType<typeof loadPipeline>>;

export const EXIT = { done: 0, rejected: 1, error: 2 } as const;

const USAGE = `usage: npm run screen -- --input FILE.csv [--output OUT.csv|DIR/] [--config CONFIG.json] [--model-dir DIR] [--db DB] [--force]
       npm run screen -- --watch DIR [--once] [--config ...]
       npm run screen -- --verify BATCH_ID [--config ...]`;

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        config: { type: 'string' },
        'model-dir': { type: 'string' },
        db: { type: 'string' },
        force: { type: 'boolean', default: false },
        watch: { type: 'string' },
        once: { type: 'boolean', default: false },
        verify: { type: 'string' },
        progress: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Where --output writes: into an existing directory (named as without --output), or at a file path whose folder
 * exists and is writable. Checked before any work starts, so that a whole batch is not spent on a rename that fails.
 * Throws a UsageError with one line saying why it cannot be written.
 */
export function resolveOutputPath(output: string, inputPath: string): string {
  const target = resolve(output);
  // ENOTDIR (a file on the way) counts as absent here: the parent's check below names it.
  const stat = (path: string) => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  };
  const info = stat(target);
  const wantsDir = output.endsWith('/') || output.endsWith(sep);
  const writable = (dir: string) => {
    try {
      accessSync(dir, constants.W_OK | constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (info?.isDirectory()) {
    if (!writable(target)) throw new UsageError(`--output ${output}: the directory is not writable`);
    return pipe.defaultOutputPath(target, inputPath);
  }
  if (wantsDir) {
    throw new UsageError(
      info ? `--output ${output}: is a file, not a directory` : `--output ${output}: no such directory`,
    );
  }
  if (info && !info.isFile()) throw new UsageError(`--output ${output}: is not a regular file`);
  const parent = dirname(target);
  const parentInfo = stat(parent);
  if (!parentInfo) throw new UsageError(`--output ${output}: the folder ${parent} does not exist`);
  if (!parentInfo.isDirectory()) throw new UsageError(`--output ${output}: ${parent} is a file, not a folder`);
  if (!writable(parent)) throw new UsageError(`--output ${output}: the folder ${parent} is not writable`);
  if (info && !writable(target)) throw new UsageError(`--output ${output}: the file is not writable`);
  return target;
}

function mb(bytes: number | null): string {
  return bytes === null ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

/** 1234567 -> 1,234,567; toLocaleString's first call loads ICU's locale data, ~60 ms of a short run. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function summaryLines(batch: BatchRecord, outputPath: string | null): string[] {
  const lines = [
    `batch ${batch.id}: ${batch.fileName} (${batch.status})`,
    `  rows read ${batch.rowsRead}, scored ${batch.rowsValid}, rejected ${batch.rowsRejected}, with warnings ${batch.rowsWithWarnings}`,
  ];
  if (batch.status === 'completed') {
    lines.push(
      `  risk: High ${batch.counts.High}, Medium ${batch.counts.Medium}, Low ${batch.counts.Low}; recommended for screening ${batch.recommended}`,
    );
  }
  const rejected = Object.entries(batch.rejectedByRule);
  if (rejected.length > 0) lines.push(`  rejected rows by rule: ${rejected.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(
    `  model ${batch.modelVersion ?? '-'}, threshold ${batch.threshold === null ? '-' : batch.threshold.toFixed(3)}; ${((batch.durationMs ?? 0) / 1000).toFixed(2)} s, ${thousands(Math.round(batch.rowsPerSecond ?? 0))} rows/s, peak RSS ${mb(batch.peakRssBytes)}, retries ${batch.retryAttempts}`,
  );
  if (batch.datasetDrift !== null)
    lines.push(`  drift: ${batch.datasetDrift ? 'DATASET DRIFT detected' : 'no dataset drift'}`);
  if (outputPath) lines.push(`  output: ${outputPath}`);
  return lines;
}

/** Problems named by line, patient_id, column and rule only; the values stay in the store and the errors JSON. */
function logIssues(
  log: CliLog,
  issues: readonly { line: number; patientId: string | null; column: string; rule: string }[],
) {
  for (const e of issues.slice(0, 20))
    log.warn(`  line ${e.line}${e.patientId ? ` (${e.patientId})` : ''}: ${e.column} [${e.rule}]`);
  if (issues.length > 20) log.warn(`  ... and ${issues.length - 20} more`);
}

interface Context {
  config: AppConfig;
  store: Store;
  log: CliLog;
  out: (line: string) => void;
  /**
   * The parse, score and store threads for a file of this size (config screening.*Thread, threadMinBytes), started
   * on first need and reused; the app decides with the same plan (core/screening/threading-plan.ts).
   */
  threads?: ScreeningThreads;
  /** Drift detection on every batch (config drift.enabled). */
  makeObserver?: (model: LoadedScreeningModel) => BatchObserver | undefined;
}

async function screenOne(
  ctx: Context,
  model: LoadedScreeningModel,
  input: string,
  opts: {
    output?: string;
    force: boolean;
    progress: boolean;
    source: 'cli' | 'watch';
    duplicateStatuses?: readonly BatchRecord['status'][];
  },
): Promise<{ code: number; outcome: ScreenOutcome }> {
  const bar = new ProgressBar({ unit: 'rows' });
  let showBar = false;
  let fileBytes = 0;
  try {
    fileBytes = statSync(input).size;
    showBar = opts.progress || fileBytes >= ctx.config.screening.progressMinBytes;
  } catch {
    // missing file: screenFile reports it
  }
  const threaded = (await ctx.threads?.forFile(model, fileBytes)) ?? { model };
  const outcome = await pipe.screenFile({
    inputPath: input,
    outputPath: opts.output ? resolve(opts.output) : undefined,
    outputDir: ctx.config.paths.outputDir,
    rejectedDir: ctx.config.paths.rejectedDir,
    store: ctx.store,
    ...threaded,
    actor: ctx.config.screening.actor,
    source: opts.source,
    retry: ctx.config.retry,
    borderlineBand: ctx.config.risk.borderlineBand,
    force: opts.force,
    duplicateStatuses: opts.duplicateStatuses,
    observer: ctx.makeObserver?.(model),
    onProgress: showBar ? (p) => bar.update(p.rowsRead, Math.max(p.rowsExpected, p.rowsRead)) : undefined,
  });
  bar.finish();
  switch (outcome.kind) {
    case 'completed': {
      const review = `  borderline, for manual review: ${outcome.borderlineCount} (${outcome.reviewPath})`;
      for (const line of [...summaryLines(outcome.batch, outcome.outputPath), review]) {
        ctx.out(line);
        if (line.startsWith('  drift:')) {
          const drift = ctx.store.drift.get(outcome.batch.id);
          const drifted = (drift?.report as { driftedFeatures?: string[] } | undefined)?.driftedFeatures ?? [];
          if (drifted.length > 0) ctx.out(`  drifted features: ${drifted.join(', ')}`);
        }
      }
      if (outcome.report.errors.length > 0) {
        ctx.log.warn(
          `${outcome.report.rowsRejected} row(s) rejected (values are in the batch's rejected rows, not here):`,
        );
        logIssues(ctx.log, outcome.report.errors);
      }
      ctx.log.debug(
        `stages (wall ms / cpu ms): ${Object.entries(outcome.timings)
          .filter((e): e is [string, number] => typeof e[1] === 'number')
          .map(([k, v]) => {
            const cpu = outcome.timings.cpuMs[k as keyof typeof outcome.timings.cpuMs];
            return `${k.replace(/Ms$/, '')} ${v.toFixed(1)}${cpu === undefined ? '' : ` / ${cpu.toFixed(1)}`}`;
          })
          .join(', ')}`,
      );
      return { code: EXIT.done, outcome };
    }
    case 'rejected':
      for (const line of summaryLines(outcome.batch, null)) ctx.out(line);
      ctx.log.error(`batch rejected: ${outcome.report.fileError ? outcome.report.fileError.code : 'no valid rows'}`);
      // Problems are named by line, patient_id, column and rule only; the values stay in the errors JSON.
      logIssues(ctx.log, outcome.report.errors);
      if (outcome.report.fileError) ctx.log.error(`  ${outcome.report.fileError.message}`);
      ctx.log.error(`copied to ${outcome.rejectedCopy}; every problem is listed in ${outcome.errorsPath}`);
      return { code: EXIT.rejected, outcome };
    case 'duplicate': {
      const prev = outcome.previous[outcome.previous.length - 1];
      if (opts.source === 'watch') {
        ctx.log.debug(`${basename(input)}: same bytes as batch ${prev.id} (${prev.status}), skipped`);
        return { code: EXIT.done, outcome };
      }
      ctx.log.error(
        `this file (sha256 ${outcome.sha256.slice(0, 12)}...) was already scored as batch ${prev.id} on ${prev.finishedAt}; use --force to score it again`,
      );
      return { code: EXIT.error, outcome };
    }
    case 'not-ready':
      ctx.log.error(outcome.message);
      return { code: EXIT.error, outcome };
  }
}

async function watch(ctx: Context, model: LoadedScreeningModel, dir: string, once: boolean): Promise<number> {
  const seen = new Map<string, string>();
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  ctx.log.info(`watching ${dir} for batch_*.csv${once ? ' (one pass)' : ''}`);
  let worst: number = EXIT.done;
  while (!stop) {
    let names: string[] = [];
    try {
      names = readdirSync(dir)
        .filter((n) => /^batch_.*\.csv$/i.test(n))
        .sort();
    } catch (error) {
      ctx.log.error(`cannot read ${dir}: ${(error as Error).message}`);
      return EXIT.error;
    }
    for (const name of names) {
      if (stop) break;
      const path = join(dir, name);
      let stamp: string;
      try {
        const s = statSync(path);
        stamp = `${s.size}:${s.mtimeMs}`;
      } catch {
        continue;
      }
      if (seen.get(name) === stamp) continue;
      // A file rejected before (same bytes) is not copied to rejected/ again on every pass (cron --once).
      const { code, outcome } = await screenOne(ctx, model, path, {
        force: false,
        progress: false,
        source: 'watch',
        duplicateStatuses: ['completed', 'rejected'],
      });
      // A file seen before (same sha256) is simply skipped; a file not ready yet is tried again next pass.
      if (outcome.kind !== 'not-ready') seen.set(name, stamp);
      if (outcome.kind !== 'duplicate') worst = Math.max(worst, code);
    }
    if (once) break;
    await new Promise((r) => setTimeout(r, ctx.config.screening.watchIntervalMs));
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return once ? worst : EXIT.done;
}

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.error;
  }
  if (args.help) {
    out(USAGE);
    return EXIT.done;
  }
  const modes = [args.input, args.watch, args.verify].filter((x) => x !== undefined).length;
  if (modes !== 1) {
    process.stderr.write(`give exactly one of --input, --watch or --verify\n${USAGE}\n`);
    return EXIT.error;
  }
  pipe = await loadPipeline();
  let outputPath: string | undefined;
  if (args.output !== undefined) {
    if (args.input === undefined) {
      process.stderr.write(`--output goes with --input only\n${USAGE}\n`);
      return EXIT.error;
    }
    try {
      outputPath = resolveOutputPath(args.output, resolve(args.input));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return EXIT.error;
    }
  }
  let config: AppConfig;
  try {
    config = pipe.loadConfig(args.config);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT.error;
  }
  const log = createCliLog(config.logLevel);
  if (args.db) config.paths.dbPath = resolve(args.db);
  if (args['model-dir']) config.paths.modelDir = resolve(args['model-dir']);
  mkdirSync(dirname(config.paths.dbPath), { recursive: true });
  let store: Store;
  try {
    adoptAuditKeyFile(config.paths.auditKeyFile);
    store = pipe.openStore(config.paths.dbPath);
  } catch (error) {
    log.error(`cannot open the database ${config.paths.dbPath}: ${(error as Error).message}`);
    return EXIT.error;
  }
  const ctx: Context = {
    config,
    store,
    log,
    out,
  };
  let model: LoadedScreeningModel | null = null;
  try {
    if (args.verify !== undefined) {
      const id = Number(args.verify);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--verify needs a batch id, got "${args.verify}"`);
      const batch = store.batches.get(id);
      if (!batch) throw new pipe.VerifyError(`batch ${id} does not exist`);
      if (!batch.modelVersion) throw new pipe.VerifyError(`batch ${id} records no model version`);
      const dir = pipe.findModelDir(batch.modelVersion, batch.modelDir, pipe.modelsRootOf(config.paths.modelDir));
      if (!dir) throw new pipe.VerifyError(`model ${batch.modelVersion} of batch ${id} is not installed any more`);
      model = await pipe.loadScreeningModel(dir, { intraOpNumThreads: config.screening.onnxThreads });
      let result = await pipe.verifyBatch(store, id, model);
      let onnxThreads = config.screening.onnxThreads;
      if (!result.ok && onnxThreads === 1) {
        // Batches scored before onnxThreads defaulted to 1 were scored with 2 intra-op threads, whose sums differ
        // in the last bits (core/inference/onnx-session.ts): reproduce them with that setting before reporting.
        const asBefore = await pipe.loadScreeningModel(dir, { intraOpNumThreads: 2 });
        const again = await pipe.verifyBatch(store, id, asBefore).finally(() => asBefore.scorer.release());
        if (again.ok) {
          result = again;
          onnxThreads = 2;
        }
      }
      store.audit.append({
        actor: config.screening.actor,
        action: 'batch.verified',
        subject: `batch:${id}`,
        details: { ok: result.ok, rows: result.rows, mismatches: result.mismatchCount, onnxThreads },
      });
      out(
        `batch ${id}: re-scored ${result.rows} rows with ${result.modelVersion}: ${
          result.ok ? 'identical outputs' : `${result.mismatchCount} differing rows`
        }${onnxThreads === config.screening.onnxThreads ? '' : ` (with ${onnxThreads} ONNX Runtime threads, as scored)`}; output sha256 ${result.outputSha256.identical ? 'identical' : 'DIFFERS'}`,
      );
      for (const m of result.mismatches)
        out(`  row ${m.rowIndex} (${m.patientId}): stored ${m.stored}, now ${m.rescored}`);
      return result.ok ? EXIT.done : EXIT.rejected;
    }
    if (!existsSync(join(config.paths.modelDir, 'metadata.json'))) {
      throw new pipe.ModelLoadError(`no production model in ${config.paths.modelDir} (use --model-dir)`);
    }
    model = await pipe.loadScreeningModel(config.paths.modelDir, {
      riskCuts: config.risk.cuts,
      intraOpNumThreads: config.screening.onnxThreads,
      splitScoring: config.screening.splitScoring,
    });
    ctx.threads = pipe.createScreeningThreads(config.screening, config.paths.dbPath);
    await ctx.threads.warm(model);
    if (config.drift.enabled) ctx.makeObserver = (m) => pipe.createDriftObserver(m.bundle.reference, config.drift);
    if (args.watch !== undefined) return await watch(ctx, model, resolve(args.watch), args.once);
    // Interrupted: the open transaction dies with the process; the temp output is removed here.
    const outputDir = outputPath ? dirname(outputPath) : config.paths.outputDir;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        pipe.removeOwnTempOutputs(outputDir);
        log.error(`interrupted (${signal}): nothing of this batch was stored`);
        // The scoring thread's ONNX session is closed first: exiting while it runs aborts the process.
        const stopped = (ctx.threads?.closeScoreThread() ?? Promise.resolve()).catch(() => undefined);
        const deadline = new Promise((done) => setTimeout(done, 2_000).unref());
        void Promise.race([stopped, deadline]).then(() => process.exit(EXIT.error));
      });
    }
    const { code } = await screenOne(ctx, model, resolve(args.input as string), {
      output: outputPath,
      force: args.force,
      progress: args.progress,
      source: 'cli',
    });
    return code;
  } catch (error) {
    if (error instanceof pipe.ModelLoadError || error instanceof pipe.VerifyError || error instanceof UsageError) {
      log.error(error.message);
    } else if (error instanceof pipe.ConfigError) {
      log.error(error.message);
    } else {
      log.error(`failed: ${(error as Error).message}`);
      log.debug((error as Error).stack ?? '');
    }
    return EXIT.error;
  } finally {
    await ctx.threads?.close();
    await model?.scorer.release();
    store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('core/cli/screen.ts')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`failed: ${(error as Error).message}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
