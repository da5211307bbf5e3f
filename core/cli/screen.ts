/**
 * npm run screen -- --input batch.csv [--output out.csv] [--config config.json] [--model-dir DIR] [--force]
 * npm run screen -- --watch DIR [--once]        score each new batch_*.csv in DIR once (--once: one pass, for cron)
 * npm run screen -- --verify BATCH_ID           re-score a stored batch and confirm identical outputs
 * Exit codes: 0 done, 1 batch rejected or held (or verification found differences), 2 error.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { adoptAuditKeyFile } from '../audit-key/keyring';
import type { AppConfig } from '../config/app-config';
import { type EarlySession, openEarlySession } from '../inference/early-session';
import { takePrestartedScoreThread } from '../inference/prestarted-score-thread';
import { type ScoreThread, startScoreThread } from '../inference/worker-scorer';
import { MODEL_FEATURES } from '../schema/columns';
import type { LoadedScreeningModel } from '../screening/load-model';
import type { ScreenOutcome } from '../screening/screen-file';
import { scoreThreadFromStart } from '../screening/thread-plan';
import type { ScreeningThreads } from '../screening/threading-plan';
import type { Store } from '../store/store';
import { createCliLog } from './cli-log';
import { ProgressBar } from './progress-bar';
import { endProcess } from './run-main';
import { parse, resolveOutputPath, USAGE, UsageError } from './screen-args';
import { logIssues, summaryLines } from './screen-summary';
import { type Context, type ScreenOneOptions, watch } from './screen-watch';

/**
 * The pipeline (zod, ONNX Runtime, SQLite and the rest) is loaded only past --help and argument errors, so that
 * these answer without loading it; a bundle (dist/cli) keeps these imports as chunks of their own.
 */
async function loadPipeline() {
  const [config, drift, model, screen, verify, threads, store, alerts, shadow] = await Promise.all([
    import('../config/app-config'),
    import('../screening/drift-observer'),
    import('../screening/load-model'),
    import('../screening/screen-file'),
    import('../screening/verify-batch'),
    import('../screening/threading-plan'),
    import('../store/sqlite-store'),
    import('../monitoring/alert-sweep'),
    import('../screening/shadow-model'),
  ]);
  return { ...config, ...drift, ...model, ...screen, ...verify, ...threads, ...store, ...alerts, ...shadow };
}

/** The file's size, 0 when it cannot be read (screenFile then reports why). */
function fileBytesOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export { resolveOutputPath } from './screen-args';
export { summaryLines } from './screen-summary';

let pipe: Awaited<ReturnType<typeof loadPipeline>>;

export const EXIT = { done: 0, rejected: 1, error: 2 } as const;

async function screenOne(
  ctx: Context,
  model: LoadedScreeningModel,
  input: string,
  opts: ScreenOneOptions,
): Promise<{ code: number; outcome: ScreenOutcome }> {
  const bar = new ProgressBar({ unit: 'rows' });
  const fileBytes = fileBytesOf(input);
  const showBar = fileBytes > 0 && (opts.progress || fileBytes >= ctx.config.screening.progressMinBytes);
  const threaded = (await ctx.threads?.forFile(model, fileBytes)) ?? { model };
  const shadow = (await ctx.shadow?.forBatch()) ?? null;
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
    ingest: { units: ctx.config.units, maxLineLength: ctx.config.ingest.maxLineLength },
    force: opts.force,
    duplicateStatuses: opts.duplicateStatuses,
    observer: ctx.makeObserver?.(model),
    // Per-stage CPU is only shown in the debug log.
    stageCpu: ctx.config.logLevel === 'debug',
    shadow,
    onProgress: showBar ? (p) => bar.update(p.rowsRead, Math.max(p.rowsExpected, p.rowsRead)) : undefined,
  });
  bar.finish();
  switch (outcome.kind) {
    case 'completed': {
      const review = `  borderline, for manual review: ${outcome.borderlineCount} (${outcome.reviewPath})`;
      const shadowLine = outcome.shadow
        ? [`  shadow ${outcome.shadow.modelVersion}: ${outcome.shadow.status} (stored, not in the output)`]
        : [];
      if (outcome.shadow?.status === 'failed') {
        ctx.log.warn(
          `shadow ${outcome.shadow.modelVersion} did not score batch ${outcome.batch.id}: ${outcome.shadow.error}; production's batch is unaffected`,
        );
      }
      for (const line of [...summaryLines(outcome.batch, outcome.outputPath), review, ...shadowLine]) {
        ctx.out(line);
        if (line.startsWith('  drift:')) {
          const drift = ctx.store.drift.get(outcome.batch.id);
          const drifted = (drift?.report as { driftedFeatures?: string[] } | undefined)?.driftedFeatures ?? [];
          if (drifted.length > 0) ctx.out(`  drifted features: ${drifted.join(', ')}`);
        }
      }
      // Alerts are due now, not when someone next runs the monitor.
      const raised = pipe.raiseDueAlerts(ctx.store, {
        ...pipe.alertRulesOf(ctx.config),
        actor: ctx.config.screening.actor,
      });
      for (const alert of raised) ctx.out(`  new alert: [${alert.kind}] ${alert.message}`);
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
    case 'held':
      // One line: the file, that nothing was scored, and what to do. No patient value is in it.
      ctx.log.error(`batch ${outcome.batch.id}: ${outcome.batch.fileName} held, not scored: ${outcome.hold.message}`);
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

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  // Started by the launcher before this bundle was compiled (screen-prestart.ts); released here unless used.
  const prestarted = takePrestartedScoreThread();
  try {
    return await screenMain(argv, out, prestarted);
  } finally {
    await prestarted?.release();
  }
}

async function screenMain(argv: string[], out: (line: string) => void, prestarted: ScoreThread | null) {
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
  // The score thread loads ONNX Runtime while this thread loads the rest; it gets its model once the config
  // says which.
  const scoreThread = args.input !== undefined ? (prestarted ?? startScoreThread(MODEL_FEATURES.length)) : null;
  try {
    return await screenFromConfig(args, outputPath, scoreThread, out);
  } finally {
    // Released unless a model adopted its session (then released with it; a second release does nothing): never
    // given its model (a bad config, no store, a tampered bundle), it would keep the process alive.
    await scoreThread?.release();
  }
}

async function screenFromConfig(
  args: ReturnType<typeof parse>,
  outputPath: string | undefined,
  scoreThread: ScoreThread | null,
  out: (line: string) => void,
): Promise<number> {
  let config: AppConfig;
  try {
    config = (await import('../config/app-config')).loadConfig(args.config);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT.error;
  }
  if (args.db) config.paths.dbPath = resolve(args.db);
  if (args['model-dir']) config.paths.modelDir = resolve(args['model-dir']);
  // Opening the model's ONNX session overlaps with loading the pipeline, opening the store and verifying the
  // bundle, which it would otherwise follow.
  let earlySession: EarlySession | null = null;
  if (scoreThread && scoreThreadFromStart(config.screening)) {
    earlySession = openEarlySession(scoreThread, config.paths.modelDir, config.screening.onnxThreads);
  } else {
    await scoreThread?.release();
  }
  pipe = await loadPipeline();
  return screenWith(args, config, outputPath, earlySession, out);
}

async function screenWith(
  args: ReturnType<typeof parse>,
  config: AppConfig,
  outputPath: string | undefined,
  earlySession: EarlySession | null,
  out: (line: string) => void,
): Promise<number> {
  const log = createCliLog(config.logLevel);
  // Everything this process creates (database, WAL, outputs, rejected copies, folders) holds patient data: owner only.
  process.umask(0o077);
  mkdirSync(dirname(config.paths.dbPath), { recursive: true, mode: 0o700 });
  let store: Store;
  let threads: ScreeningThreads | undefined;
  try {
    adoptAuditKeyFile(config.paths.auditKeyFile);
    if (args.input !== undefined) {
      // A large file's store thread starts now, while this thread opens the database and loads the model: both
      // connections migrate under the write lock, so either may be the one that creates the schema.
      threads = pipe.createScreeningThreads(config.screening, config.paths.dbPath);
      threads.prepare(fileBytesOf(args.input));
    }
    store = pipe.openStore(config.paths.dbPath);
  } catch (error) {
    await threads?.close();
    log.error(`cannot open the database ${config.paths.dbPath}: ${(error as Error).message}`);
    return EXIT.error;
  }
  // A run killed between committing a batch and renaming its outputs into place left temp files: finish or remove them.
  for (const dir of new Set([config.paths.outputDir, ...(outputPath ? [dirname(outputPath)] : [])])) {
    pipe.settleTempOutputs(dir, store);
  }
  const ctx: Context = {
    config,
    store,
    log,
    out,
    // Set now so that a failure before the model is loaded still closes a thread started early.
    threads,
  };
  let model: LoadedScreeningModel | null = null;
  try {
    if (args.verify !== undefined) {
      const { verifyCommand } = await import('./screen-verify');
      return await verifyCommand(store, config, args.verify, out, (m) => {
        model = m;
      });
    }
    if (!existsSync(join(config.paths.modelDir, 'metadata.json'))) {
      throw new pipe.ModelLoadError(`no production model in ${config.paths.modelDir} (use --model-dir)`);
    }
    model = await pipe.loadScreeningModel(config.paths.modelDir, {
      riskCuts: config.risk.cuts,
      intraOpNumThreads: config.screening.onnxThreads,
      splitScoring: config.screening.splitScoring,
      earlySession,
    });
    ctx.threads ??= pipe.createScreeningThreads(config.screening, config.paths.dbPath);
    await ctx.threads.warm(model);
    if (config.drift.enabled) ctx.makeObserver = (m) => pipe.driftObserverFor(m, config.drift);
    // The registry root is the production folder's parent, where a shadow candidate is installed.
    ctx.shadow = pipe.createShadowLoader(store.shadow, dirname(resolve(config.paths.modelDir)), config.risk.cuts);
    if (args.watch !== undefined) return await watch(ctx, model, resolve(args.watch), args.once, screenOne);
    // Interrupted: an uncommitted batch dies with the process; its temp outputs are settled here.
    const outputDir = outputPath ? dirname(outputPath) : config.paths.outputDir;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        // Interrupted between commit and rename, the batch is stored: its files are then finished, not removed.
        const { finished } = pipe.settleTempOutputs(outputDir, store, { ownToo: true });
        log.error(
          `interrupted (${signal}): ${finished.length > 0 ? 'the batch was already stored; its files are in place' : 'nothing of this batch was stored'}`,
        );
        // The scoring threads' ONNX sessions are closed first: exiting while one runs aborts the process.
        const stopped = Promise.all([ctx.threads?.closeScoreThread(), model?.scorer.release()]).catch(() => undefined);
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
    if (
      error instanceof pipe.ModelLoadError ||
      error instanceof pipe.VerifyError ||
      error instanceof UsageError ||
      error instanceof pipe.ScreenFailure
    ) {
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
    await ctx.shadow?.close();
    // The score thread closes its session while this thread closes the database.
    const released = model?.scorer.release();
    store.close();
    await released;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('core/cli/screen.ts')) {
  main(process.argv.slice(2)).then(endProcess, (error) => {
    process.stderr.write(`failed: ${(error as Error).message}\n`);
    process.exitCode = EXIT.error;
  });
}
