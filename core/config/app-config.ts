import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DRIFT_METHODS } from '../drift/drift-method';
import { DEFAULT_MAX_LINE_LENGTH } from '../ingest/ingest-options';
import { CONFIGURABLE_UNITS, type UnitsConfig } from '../schema/units';
import { PARSE_ONCE } from '../util/parse-once';

/**
 * The one JSON config of the CLI and the app. Every value has an embedded default, so an empty file (or none)
 * is a valid config; unknown keys are refused so that a misspelt key is not silently ignored.
 * Relative paths are resolved against the config file's folder (or the working folder when there is no file).
 */

const probability = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();

const PathsSchema = z
  .strictObject({
    /** Root of the data folders below (informational; each folder can be set on its own). */
    dataDir: z.string().min(1).default('data'),
    /** Where --watch looks for batch_*.csv by default. */
    incomingDir: z.string().min(1).default('data/incoming'),
    outputDir: z.string().min(1).default('data/predictions'),
    rejectedDir: z.string().min(1).default('data/rejected'),
    modelDir: z.string().min(1).default('models/production'),
    dbPath: z.string().min(1).default('data/glucoscreen.db'),
    /** The audit chain's key file (0600); default ~/.config/glucoscreen/audit.key, away from the data folder. */
    auditKeyFile: z.string().min(1).optional(),
  })
  .prefault({});

const RiskSchema = z
  .strictObject({
    /** Override of the model's risk cuts; null uses the cuts in the model's metadata.json. */
    cuts: z
      .strictObject({ medium: probability, high: probability })
      .refine((c) => c.medium <= c.high, { message: 'medium must not be above high' })
      .nullable()
      .default(null),
    /** Scores within this distance of the threshold are flagged as borderline in the UI. */
    borderlineBand: z.number().min(0).max(0.5).default(0.05),
  })
  .prefault({});

const RetrySchema = z
  .strictObject({
    /** Tries after the first one, for a file that is still growing or locked. */
    attempts: z.number().int().min(0).max(20).default(3),
    initialDelayMs: z.number().int().min(0).max(60_000).default(500),
    backoffFactor: z.number().min(1).max(10).default(2),
    maxDelayMs: z.number().int().min(0).max(600_000).default(10_000),
    /** A file counts as still being written when its size or mtime changes within this window. */
    stableWindowMs: z.number().int().min(0).max(60_000).default(200),
  })
  .prefault({});

const DriftSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** One test for every feature; 'auto' chooses per feature as Evidently's DataDriftPreset does. */
    method: z.enum(['auto', ...DRIFT_METHODS]).default('auto'),
    /** Threshold for that one test; null uses each test's default (p < 0.05, distance >= 0.1). */
    threshold: z.number().min(0).nullable().default(null),
    /** Dataset drift when the share of drifted features reaches this (Evidently's default 0.5) ... */
    shareThreshold: probability.default(0.5),
    /** ... or when at least this many features drift (a few clearly drifted features matter even when the share is low). */
    countThreshold: positiveInt.default(3),
    /** How the two rules combine. */
    rule: z.enum(['either', 'share', 'count', 'both']).default('either'),
    /** Absolute change in a feature's share of zeros that is flagged. */
    zeroShareTolerance: probability.default(0.05),
    histogramBins: z.number().int().min(2).max(200).default(20),
    /** Drift in one of the model's most important features is alerted on its own (see core/drift/importance-drift). */
    importance: z
      .strictObject({
        /** The features ranked this high by the model's mean |SHAP| are important... */
        topN: z.number().int().min(0).max(11).default(3),
        /** ...and so is any feature carrying at least this share of the total. */
        minShare: probability.default(0.25),
      })
      .prefault({}),
    /** Per-feature method and threshold overrides. */
    perFeature: z
      .record(
        z.string(),
        z.strictObject({ method: z.enum(DRIFT_METHODS).optional(), threshold: z.number().min(0).optional() }),
      )
      .default({}),
  })
  .prefault({});

const MonitoringSchema = z
  .strictObject({
    recallAlertBelow: probability.default(0.8),
    consecutiveWeeks: positiveInt.default(2),
    /** A week with fewer labelled patients than this is reported as "too few labels to judge". */
    minLabelsPerWeek: positiveInt.default(20),
  })
  .prefault({});

const FollowUpSchema = z
  .strictObject({
    /** A patient recommended for testing with no result this many days after that screening is overdue. */
    overdueDays: z.number().int().min(1).max(365).default(30),
  })
  .prefault({});

const ScreeningSchema = z
  .strictObject({
    /** Rows per streamed chunk (parse -> score -> write -> store). */
    chunkRows: z.number().int().min(1_000).max(1_000_000).default(65_536),
    /** Files larger than this get a progress bar on stderr. */
    progressMinBytes: z.number().int().min(0).default(1_000_000),
    /** Interval at which --watch looks for new files. */
    watchIntervalMs: z.number().int().min(100).max(3_600_000).default(2_000),
    /**
     * Parse on a second thread while this one scores. Off by default: it overlaps stages only when a core is idle,
     * and every thread holds its own chunks in memory (measure with npm run bench:screen). 'auto': for files of at
     * least threadMinBytes, as the store and score threads.
     */
    parseThread: z.union([z.boolean(), z.literal('auto')]).default(false),
    /**
     * Insert predictions on a second thread with its own connection, overlapping SQLite with parsing and scoring.
     * 'auto' (default): for files of at least threadMinBytes, where the overlap outweighs the cost of starting the
     * thread and its memory (measure with npm run bench:screen).
     */
    storeThread: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    /**
     * Score on a second thread (its own ONNX session) while this one parses the next chunk.
     * 'auto' (default): for files of at least threadMinBytes.
     */
    scoreThread: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    /** The file size from which 'auto' parse, store and score threads are used (core/screening/threading-plan.ts). */
    threadMinBytes: z.number().int().min(0).default(8_000_000),
    /**
     * ONNX Runtime intra-op threads per session. 1 (default): scores do not depend on the thread count, so
     * `screen --verify` reproduces them exactly; with more, verify a batch with the setting it was scored with
     * (core/inference/onnx-session.ts).
     */
    onnxThreads: z.number().int().min(1).max(64).default(1),
    /**
     * Score each chunk's two halves at once in two single-threaded sessions (this thread and a worker).
     * Off by default: its gain on idle cores could not be measured on the busy development machine.
     */
    splitScoring: z.boolean().default(false),
    /** Who the CLI records as the actor in the audit log. */
    actor: z.string().min(1).default('cli'),
  })
  .prefault({});

const IngestSchema = z
  .strictObject({
    /**
     * Longest line (or quoted row) read, in characters (bytes for the plain ASCII of a clinic export); a longer one
     * is rejected as soon as it passes the limit, so a hostile file costs linear time and bounded memory.
     * 1 KiB at least: a header of the nine columns with units fits many times over.
     */
    maxLineLength: z
      .number()
      .int()
      .min(1024)
      .max(64 * 2 ** 20)
      .default(DEFAULT_MAX_LINE_LENGTH),
  })
  .prefault({});

/**
 * The unit of a column whose header declares none ("Glucose (mmol/L)" in a header wins over this). Unset: the
 * model's unit, and the file-level check holds a batch whose values look like another one.
 */
const UnitsSchema = z
  .strictObject({
    Glucose: z.enum(CONFIGURABLE_UNITS.Glucose).optional(),
    Insulin: z.enum(CONFIGURABLE_UNITS.Insulin).optional(),
  })
  .prefault({}) satisfies z.ZodType<UnitsConfig>;

/** The local scoring API (npm run serve, or the desktop app when enabled); it binds to 127.0.0.1 only. */
const ApiSchema = z
  .strictObject({
    /** The desktop app starts the API while this is on (Settings); `npm run serve` runs it regardless. */
    enabled: z.boolean().default(false),
    port: z.number().int().min(1024).max(65_535).default(8765),
    /** Requests per client per minute (a token bucket: bursts up to this many, refilled evenly). */
    rateLimitPerMinute: z.number().int().min(1).max(100_000).default(60),
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * 2 ** 20)
      .default(20 * 2 ** 20),
    maxPatients: z.number().int().min(1).max(1_000_000).default(100_000),
  })
  .prefault({});

const ModelsSchema = z
  .strictObject({
    /** Promote refuses a model whose recall on its own evaluation is below this, unless an admin gives a reason. */
    targetRecall: probability.default(0.85),
    /** Shadow recall is compared with production's only from this many labelled patients scored by both. */
    minShadowLabels: positiveInt.default(100),
    /** The two-person rule: a promotion requested by one admin happens only when another admin approves it. */
    requireSecondApprover: z.boolean().default(false),
  })
  .prefault({});

const SessionSchema = z
  .strictObject({
    /** Minutes without input before the app locks; 0 never locks (the app only; the CLI has no session). */
    autoLockMinutes: z.number().int().min(0).max(240).default(10),
  })
  .prefault({});

const RetentionSchema = z
  .strictObject({
    /** Patient rows of batches older than this many months may be purged by an admin; null keeps them all. */
    patientRowsMonths: z.number().int().min(1).max(600).nullable().default(null),
  })
  .prefault({});

const BackupSchema = z
  .strictObject({
    /** Backups kept in the backup folder; the oldest beyond this are removed after each new one. */
    keep: z.number().int().min(1).max(365).default(7),
  })
  .prefault({});

export const AppConfigSchema = z
  .strictObject({
    ingest: IngestSchema,
    units: UnitsSchema,
    paths: PathsSchema,
    risk: RiskSchema,
    retry: RetrySchema,
    drift: DriftSchema,
    monitoring: MonitoringSchema,
    screening: ScreeningSchema,
    api: ApiSchema,
    models: ModelsSchema,
    followUp: FollowUpSchema,
    session: SessionSchema,
    retention: RetentionSchema,
    backup: BackupSchema,
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .prefault({});

export type AppConfig = z.infer<typeof AppConfigSchema>;
export type DriftConfig = AppConfig['drift'];
export type RetryConfig = AppConfig['retry'];
export type ModelsConfig = AppConfig['models'];
export type ApiConfig = AppConfig['api'];

export class ConfigError extends Error {
  constructor(
    message: string,
    /** One entry per problem: the key path ('retry.attempts', or '(root)') and what is wrong. */
    readonly problems: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Every default, as a plain object (also what `--print-config` style tooling would show). */
export function defaultConfig(): AppConfig {
  return AppConfigSchema.parse({}, PARSE_ONCE);
}

/**
 * Validates a parsed config object. `source` names the file in messages. Relative paths are resolved
 * against `baseDir`.
 */
export function parseConfig(value: unknown, source = 'config', baseDir = process.cwd()): AppConfig {
  const result = AppConfigSchema.safeParse(value, PARSE_ONCE);
  if (!result.success) {
    const problems = configProblems(result.error);
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
    throw new ConfigError(`${source} is not a valid configuration:\n${lines.join('\n')}`, problems);
  }
  const config = result.data;
  const paths = config.paths;
  for (const key of Object.keys(paths) as (keyof typeof paths)[]) {
    const value = paths[key];
    if (value !== undefined && !isAbsolute(value)) paths[key] = resolve(baseDir, value);
  }
  return config;
}

/** A schema error as one entry per problem, each naming its key path ('retry.attempts', or '(root)'). */
export function configProblems(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => {
    let path = issue.path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      path = keys.join(', ');
      message = `unknown key${keys.length > 1 ? 's' : ''} (misspelt?)`;
    }
    return { path: path || '(root)', message };
  });
}

/** Reads and validates a JSON config file; with no path, the defaults (paths relative to the working folder). */
export function loadConfig(path?: string | null): AppConfig {
  if (!path) return parseConfig({});
  if (!existsSync(path))
    throw new ConfigError(`config file ${path} does not exist`, [{ path: '(file)', message: 'missing' }]);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`, [
      { path: '(file)', message: 'not valid JSON' },
    ]);
  }
  return parseConfig(value, path, dirname(resolve(path)));
}
