import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorklistQueryParsed } from '../api/inputs';
import { WorklistQuery } from '../api/inputs';
import type { ExportFile, PatientDetail, ReviewState, RiskFactor, UserSummary, WorklistRow } from '../api/outputs';
import { fail, ok, type Result } from '../api/result';
import { confirmPassword, createFirstAdmin, createUser, needsFirstRun, signIn } from '../auth/accounts';
import type { ScryptParams } from '../auth/password-hash';
import { DEFAULT_BORDERLINE_BAND, flagBorderline, isBorderline } from '../explain/borderline';
import { FEATURE_COLUMNS, type FeatureName, ID_COLUMN, REQUIRED_COLUMNS } from '../schema/columns';
import type { BatchRecord } from '../store/batch-repository';
import type { ReviewRecord } from '../store/review-repository';
import type { Store } from '../store/store';
import type { UserRecord } from '../store/user-repository';
import { type AdminDeps, createAdminHandlers } from './admin-handlers';
import { MAX_REPORT_ISSUES, reportDto, storedReportDto, toBatchSummary } from './batch-mapping';
import { ClientSession } from './client-session';
import { clinicalInputs } from './clinical-context';
import { toCsv } from './csv-export';
import { type CallContext, dispatch, type ScreeningHandlers } from './dispatch';
import type { BatchScreener, LoadedModel, ModelProvider } from './ports';
import { type PatientExplanation, type RawRows, topFactors } from './risk-factors';
import { WorklistIndex } from './worklist-index';

export interface ServiceDeps {
  store: Store;
  screener: BatchScreener;
  models: ModelProvider;
  /** Uploaded files are written here before the pipeline reads them, and removed afterwards. */
  tempDir: string;
  autoLockMinutes: number;
  scrypt?: ScryptParams;
  now?: () => Date;
  logError?: (method: string, error: unknown) => void;
  /** Half-width of the borderline band around the threshold (probability scale); config risk.borderlineBand. */
  borderlineBand?: number;
  /** The admin views' models folder, training data and config (issue 7); without it those views say so. */
  admin?: AdminDeps;
}

export interface ScreeningService {
  handlers: ScreeningHandlers;
  newSession(): ClientSession;
  /** Parse, authorise, run: what every transport calls. */
  call(method: string, arg: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

/** Worklists kept in memory (100 000 rows is a few MB); older ones are rebuilt from the store on demand. */
const CACHED_WORKLISTS = 4;

export function createScreeningService(deps: ServiceDeps): ScreeningService {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();
  const borderlineBand = deps.borderlineBand ?? DEFAULT_BORDERLINE_BAND;
  const accountDeps = { users: store.users, audit: store.audit, scrypt: deps.scrypt };
  const worklists = new Map<number, WorklistIndex>();

  const actor = (ctx: CallContext): UserRecord => {
    const user = ctx.session.user;
    // dispatch() has checked access already; reaching here without a user is a programming error.
    if (!user) throw new Error('no signed-in user');
    return user;
  };

  const batchRecord = (batchId: string): BatchRecord | null => {
    const id = Number(batchId);
    return Number.isSafeInteger(id) ? store.batches.get(id) : null;
  };

  const latestReviews = (batchId: number): Map<number, ReviewState> => {
    const latest = new Map<number, ReviewState>();
    for (const r of store.reviews.list(batchId)) latest.set(r.rowIndex, reviewState(r));
    return latest;
  };

  const worklistOf = (record: BatchRecord): WorklistIndex => {
    const cached = worklists.get(record.id);
    if (cached) {
      worklists.delete(record.id);
      worklists.set(record.id, cached);
      return cached;
    }
    const ids: string[] = [];
    const scores: number[] = [];
    const categories: ('Low' | 'Medium' | 'High')[] = [];
    const recommended: number[] = [];
    const glucose: number[] = [];
    const bmi: number[] = [];
    const age: number[] = [];
    for (const chunk of store.batches.iteratePredictions(record.id)) {
      for (let i = 0; i < chunk.table.rowCount; i++) {
        ids.push(chunk.table.ids[i]);
        scores.push(chunk.scores[i]);
        categories.push(chunk.categories[i]);
        recommended.push(chunk.recommendations[i]);
        // A zero glucose/BMI is "not measured": shown as missing in the list, as in the detail view.
        glucose.push(chunk.table.features.Glucose[i] || Number.NaN);
        bmi.push(chunk.table.features.BMI[i] || Number.NaN);
        age.push(chunk.table.features.Age[i]);
      }
    }
    const scoreColumn = Float64Array.from(scores);
    const index = new WorklistIndex({
      ids,
      scores: scoreColumn,
      borderline:
        record.threshold === null
          ? new Uint8Array(scoreColumn.length)
          : flagBorderline(scoreColumn, record.threshold, borderlineBand),
      categories,
      recommended: Uint8Array.from(recommended),
      glucose: Float64Array.from(glucose),
      bmi: Float64Array.from(bmi),
      age: Float64Array.from(age),
    });
    for (const [rowIndex, review] of latestReviews(record.id)) index.setReview(rowIndex, review);
    worklists.set(record.id, index);
    while (worklists.size > CACHED_WORKLISTS) worklists.delete(worklists.keys().next().value as number);
    return index;
  };

  const summaryOf = (record: BatchRecord) =>
    toBatchSummary(
      record,
      worklists.get(record.id)?.reviewedCount() ?? latestReviews(record.id).size,
      store.drift.get(record.id),
    );

  /** The row of a patient in a batch: by rowIndex when given (duplicate ids), else the first with that id. */
  const rowOf = (index: WorklistIndex, patientId: string, rowIndex: number | undefined): number => {
    if (rowIndex !== undefined) {
      return rowIndex < index.rowCount && index.row(rowIndex).patientId === patientId ? rowIndex : -1;
    }
    return index.rowIndexOf(patientId);
  };

  const detailOf = async (record: BatchRecord, rowIndex: number, index: WorklistIndex): Promise<PatientDetail> => {
    const prediction = store.batches.prediction(record.id, rowIndex);
    if (!prediction) throw new Error(`prediction ${record.id}/${rowIndex} missing from the store`);
    const raw = rawFeatures(prediction.inputs);
    const model = await currentModel(record.modelVersion);
    const explanation = model?.explain ? model.explain(oneRow(raw), 1)[0] : null;
    return {
      batchId: String(record.id),
      rowIndex,
      patientId: prediction.patientId,
      line: prediction.line,
      score: prediction.score,
      category: prediction.category,
      recommended: prediction.recommendation === 1,
      threshold: record.threshold ?? Number.NaN,
      modelVersion: record.modelVersion ?? 'unknown',
      inputs: clinicalInputs(raw, (f) => (model ? medianOf(model, f) : null)),
      review: index.review(rowIndex),
      borderline: record.threshold !== null && isBorderline(prediction.score, record.threshold, borderlineBand),
      factors: explanation?.factors ?? null,
      waterfall: explanation?.waterfall ?? null,
    };
  };

  /** The installed model, only if it is the one that scored the batch: never explain with another model. */
  const currentModel = async (version: string | null): Promise<LoadedModel | null> => {
    const production = await deps.models.production();
    return production.ok && production.model.info.version === version ? production.model : null;
  };

  /**
   * Explanations of some rows of a batch, with the model that scored it (null when that model is not installed):
   * read from the stored inputs in one batched TreeSHAP pass.
   */
  const explainRows = async (
    record: BatchRecord,
    rowIndexes: readonly number[],
  ): Promise<PatientExplanation[] | null> => {
    const model = await currentModel(record.modelVersion);
    if (!model?.explain || rowIndexes.length === 0) return null;
    const raw = {} as Record<FeatureName, Float64Array>;
    for (const f of FEATURE_COLUMNS) raw[f] = new Float64Array(rowIndexes.length);
    rowIndexes.forEach((rowIndex, r) => {
      const prediction = store.batches.prediction(record.id, rowIndex);
      const inputs = prediction ? rawFeatures(prediction.inputs) : null;
      for (const f of FEATURE_COLUMNS) raw[f][r] = inputs ? inputs[f] : Number.NaN;
    });
    return model.explain(raw as RawRows, rowIndexes.length);
  };

  /** The upload under its own name (the batch records the file name) in a fresh private folder. */
  const withTempFile = async <T>(fileName: string, content: string, run: (path: string) => Promise<T>): Promise<T> => {
    const dir = join(deps.tempDir, randomBytes(8).toString('hex'));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, safeFileName(fileName));
    await writeFile(path, content, { encoding: 'utf8', mode: 0o600 });
    try {
      return await run(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  const handlers: ScreeningHandlers = {
    async firstRunStatus() {
      const model = await deps.models.production();
      return ok({
        needsAdmin: needsFirstRun(accountDeps),
        model: model.ok ? model.model.info : null,
        modelProblem: model.ok ? null : model.problem,
      });
    },

    async createAdmin(arg, ctx) {
      const result = await createFirstAdmin(accountDeps, arg.username, arg.password);
      if (!result.ok) return fail(result.code, result.message);
      ctx.session.signIn(result.value);
      store.audit.append({ actor: result.value.username, action: 'auth.signed-in', subject: result.value.username });
      return ok(ctx.session.info() as NonNullable<ReturnType<ClientSession['info']>>);
    },

    async signIn(arg, ctx) {
      const result = await signIn(accountDeps, arg.username, arg.password);
      if (!result.ok) return fail(result.code, result.message);
      ctx.session.signIn(result.value);
      return ok(ctx.session.info() as NonNullable<ReturnType<ClientSession['info']>>);
    },

    async currentSession(_arg, ctx) {
      return ok(ctx.session.info());
    },

    async signOut(_arg, ctx) {
      const user = actor(ctx);
      store.audit.append({ actor: user.username, action: 'auth.signed-out', subject: user.username });
      ctx.session.signOut();
      return ok(null);
    },

    async lock(arg, ctx) {
      const user = actor(ctx);
      if (!ctx.session.locked) {
        ctx.session.locked = true;
        store.audit.append({
          actor: user.username,
          action: 'auth.locked',
          subject: user.username,
          details: { reason: arg.reason },
        });
      }
      return ok(ctx.session.info() as NonNullable<ReturnType<ClientSession['info']>>);
    },

    async unlock(arg, ctx) {
      const user = actor(ctx);
      if (!(await confirmPassword(accountDeps, user, arg.password))) {
        return fail('bad-credentials', 'Wrong password.');
      }
      ctx.session.locked = false;
      ctx.session.touch();
      return ok(ctx.session.info() as NonNullable<ReturnType<ClientSession['info']>>);
    },

    async keepAlive() {
      return ok(null);
    },

    async importBatch(arg, ctx) {
      const user = actor(ctx);
      const outcome = await withTempFile(arg.fileName, arg.content, (path) =>
        deps.screener.screenFile({
          path,
          displayName: arg.fileName,
          actor: user.username,
          source: 'app',
          onProgress: (p) => ctx.emit('importProgress', { operationId: arg.operationId, ...p }),
        }),
      );
      ctx.emit('importProgress', { operationId: arg.operationId, phase: 'done', done: 0, total: null });
      if (!outcome.ok) {
        return fail(outcome.code, outcome.message, outcome.report ? { report: reportDto(outcome.report) } : undefined);
      }
      const record = store.batches.get(outcome.batchId);
      if (!record) throw new Error(`batch ${outcome.batchId} vanished after commit`);
      return ok({ batch: summaryOf(record), report: reportDto(outcome.report) });
    },

    async listBatches(arg) {
      return ok(store.batches.list({ limit: arg.limit, offset: arg.offset }).map(summaryOf));
    },

    async getBatch(arg) {
      const record = batchRecord(arg.batchId);
      return record ? ok(summaryOf(record)) : fail('not-found', `There is no batch ${arg.batchId}.`);
    },

    async getValidationReport(arg) {
      const record = batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const errors = store.batches.issues(record.id, { severity: 'error', limit: MAX_REPORT_ISSUES });
      const warnings = store.batches.issues(record.id, {
        severity: 'warning',
        limit: Math.max(0, MAX_REPORT_ISSUES - errors.length),
      });
      const warningTotal = Object.values(record.warningsByRule).reduce((a, b) => a + b, 0);
      return ok(storedReportDto(record, [...errors, ...warnings], record.rowsRejected + warningTotal));
    },

    async exportRejectedRows(arg, ctx) {
      const record = batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const issues = store.batches.issues(record.id, { severity: 'error' });
      store.audit.append({
        actor: actor(ctx).username,
        action: 'batch.rejected-rows-exported',
        subject: String(record.id),
        details: { rows: issues.length },
      });
      const content = toCsv(
        ['line', ID_COLUMN, 'column', 'value', 'rule', 'reason'],
        issues.map((i) => [i.line, i.patientId, i.column, i.value, i.rule, i.message]),
      );
      return ok(exportFile(`${stem(record.fileName)}_rejected_rows.csv`, content, issues.length));
    },

    async worklistPage(arg) {
      const record = batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = worklistOf(record);
      const page = index.page(arg.query, arg.offset, arg.limit);
      const explanations = await explainRows(
        record,
        page.rows.map((r) => r.rowIndex),
      );
      const rows: WorklistRow[] = page.rows.map((row, i) => ({
        ...row,
        topFactors: explanations ? topFactors(explanations[i].factors) : null,
      }));
      return ok({
        batchId: arg.batchId,
        total: index.rowCount,
        matching: page.matching,
        offset: arg.offset,
        rows,
        categoryCounts: index.categoryCounts(),
      });
    },

    async patientDetail(arg) {
      const record = batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = worklistOf(record);
      const rowIndex = rowOf(index, arg.patientId, arg.rowIndex);
      if (rowIndex < 0) return fail('not-found', `Patient ${arg.patientId} is not in batch ${arg.batchId}.`);
      return ok(await detailOf(record, rowIndex, index));
    },

    async markReviewed(arg, ctx) {
      const user = actor(ctx);
      const record = batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = worklistOf(record);
      const rowIndex = rowOf(index, arg.patientId, arg.rowIndex);
      if (rowIndex < 0) return fail('not-found', `Patient ${arg.patientId} is not in batch ${arg.batchId}.`);
      const review = store.transaction(() => {
        const added = store.reviews.add({ batchId: record.id, rowIndex, reviewedBy: user.username, note: arg.note });
        // The note stays in the reviews table; the audit line records that there was one, not its text.
        store.audit.append({
          actor: user.username,
          action: 'patient.reviewed',
          subject: arg.patientId,
          details: { batchId: record.id, rowIndex, withNote: arg.note.length > 0 },
        });
        return added;
      });
      const state = reviewState(review);
      index.setReview(rowIndex, state);
      return ok(state);
    },

    async exportWorklist(arg, ctx) {
      const record = batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = worklistOf(record);
      const query = arg.query ?? WorklistQuery.parse({});
      const order = index.order(query);
      const rows: (string | number | boolean | null)[][] = [];
      // Reasons are explained in slices, so a 100 000-row export never holds every explanation at once.
      const factorsOf = new Map<number, RiskFactor[] | null>();
      for (let start = 0; start < order.length; start += EXPORT_EXPLAIN_SLICE) {
        const slice = Array.from(order.subarray(start, start + EXPORT_EXPLAIN_SLICE));
        const explanations = await explainRows(record, slice);
        factorsOf.clear();
        for (let k = 0; k < slice.length; k++) {
          factorsOf.set(slice[k], explanations ? topFactors(explanations[k].factors) : null);
        }
        for (const i of slice) rows.push(exportRow(index.row(i), factorsOf.get(i) ?? null));
      }
      store.audit.append({
        actor: actor(ctx).username,
        action: 'batch.worklist-exported',
        subject: String(record.id),
        details: { rows: rows.length, filtered: arg.query !== undefined },
      });
      const header = [
        ID_COLUMN,
        'risk_category',
        'diabetes_risk_score',
        'screening_recommendation',
        'borderline_review',
        'top_factors',
        'glucose',
        'bmi',
        'age',
        'reviewed_by',
        'reviewed_at',
        'review_note',
      ];
      return ok(exportFile(`${stem(record.fileName)}_worklist.csv`, toCsv(header, rows), rows.length));
    },

    async highRiskList(arg, ctx) {
      const record = batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const index = worklistOf(record);
      const query: WorklistQueryParsed = WorklistQuery.parse({ categories: ['High'] });
      const rows = [...index.order(query)].map((i) => index.row(i));
      const user = actor(ctx);
      store.audit.append({
        actor: user.username,
        action: 'batch.high-risk-list',
        subject: String(record.id),
        details: { rows: rows.length },
      });
      return ok({ batch: summaryOf(record), generatedAt: now().toISOString(), generatedBy: user.username, rows });
    },

    async quickScore(arg, ctx) {
      const user = actor(ctx);
      const patientId =
        arg.patientId ??
        `QS-${now()
          .toISOString()
          .replace(/[-:.TZ]/g, '')
          .slice(0, 14)}`;
      // A batch of one through the very pipeline a file takes: same rules, same scorer, same audit.
      const content = toCsv(REQUIRED_COLUMNS, [[patientId, ...FEATURE_COLUMNS.map((f) => arg.features[f])]]);
      const outcome = await withTempFile(`${safeFileName(patientId)}.csv`, content, (path) =>
        deps.screener.screenFile({ path, displayName: 'quick-score', actor: user.username, source: 'quick-score' }),
      );
      if (!outcome.ok) {
        const reason = outcome.report?.errors[0];
        return fail(
          outcome.code === 'no-model' ? 'no-model' : 'invalid-argument',
          reason ? `${reason.column}: ${reason.message}` : outcome.message,
        );
      }
      // A completed batch has at least one valid row (none would make it a rejected one): here, exactly this one.
      const record = store.batches.get(outcome.batchId);
      if (!record) throw new Error(`batch ${outcome.batchId} vanished after commit`);
      const detail = await detailOf(record, 0, worklistOf(record));
      return ok({
        patientId: detail.patientId,
        score: detail.score,
        category: detail.category,
        recommended: detail.recommended,
        threshold: detail.threshold,
        modelVersion: detail.modelVersion,
        inputs: detail.inputs,
        warnings: outcome.report.warnings.map((w) => `${w.column}: ${w.message}`),
        factors: detail.factors,
        batchId: String(record.id),
      });
    },

    async createUser(arg, ctx) {
      const result = await createUser(accountDeps, actor(ctx), arg);
      return result.ok ? ok(userSummary(result.value)) : fail(result.code, result.message);
    },

    async listUsers() {
      return ok(store.users.list().map(userSummary));
    },

    async auditLog(arg) {
      // The chain is small next to the predictions; filters beyond `action` are applied here.
      const all = store.audit.list({ action: arg.action, descending: true });
      const from = arg.from ? Date.parse(arg.from) : Number.NEGATIVE_INFINITY;
      const to = arg.to ? Date.parse(arg.to) : Number.POSITIVE_INFINITY;
      const filtered = all.filter((e) => {
        const at = Date.parse(e.at);
        return (!arg.actor || e.actor === arg.actor) && at >= from && at <= to;
      });
      return ok({
        events: filtered.slice(arg.offset, arg.offset + arg.limit).map((e) => ({
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          action: e.action,
          subject: e.subject,
          details: e.details,
        })),
        total: filtered.length,
        verification: store.audit.verify(),
      });
    },

    ...createAdminHandlers({ store, actor, batchRecord, withTempFile }, deps.admin),
  };

  const logError =
    deps.logError ??
    ((method: string, error: unknown) => {
      console.error(`[glucoscreen] ${method} failed:`, error instanceof Error ? error.stack : error);
    });

  return {
    handlers,
    newSession: () => new ClientSession(() => now().getTime(), deps.autoLockMinutes),
    call: (method, arg, ctx) => {
      // One store connection serves every call, and an import holds its batch transaction open across chunks (with
      // awaits in between). A write from another call in that window would join the batch and vanish with it if the
      // batch rolled back, so calls run one at a time, in arrival order.
      const run = queue.then(() => dispatch({ handlers, audit: store.audit, logError }, method, arg, ctx));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

function reviewState(record: ReviewRecord): ReviewState {
  return { by: record.reviewedBy, at: record.reviewedAt, note: record.note };
}

function userSummary(user: UserRecord): UserSummary {
  return { username: user.username, role: user.role, createdAt: user.createdAt };
}

/** Rows explained per TreeSHAP pass when exporting a worklist. */
const EXPORT_EXPLAIN_SLICE = 4096;

/** One line of the worklist export (the header is built beside its only caller). */
function exportRow(r: WorklistRow, factors: RiskFactor[] | null): (string | number | boolean | null)[] {
  return [
    r.patientId,
    r.category,
    Number(r.score.toFixed(4)),
    r.recommended ? 1 : 0,
    r.borderline ? 1 : 0,
    factors ? factors.map((f) => f.text).join('; ') : null,
    r.glucose,
    r.bmi,
    r.age,
    r.review?.by ?? null,
    r.review?.at ?? null,
    r.review?.note ?? null,
  ];
}

function oneRow(raw: Record<FeatureName, number>): RawRows {
  const rows = {} as Record<FeatureName, number[]>;
  for (const f of FEATURE_COLUMNS) rows[f] = [raw[f]];
  return rows;
}

function rawFeatures(inputs: Record<string, number | null>): Record<FeatureName, number> {
  const raw = {} as Record<FeatureName, number>;
  for (const f of FEATURE_COLUMNS) raw[f] = inputs[f] ?? Number.NaN;
  return raw;
}

function medianOf(model: LoadedModel, feature: FeatureName): number | null {
  return (model.imputeMedians as Partial<Record<FeatureName, number>>)[feature] ?? null;
}

/** Only the base name, only harmless characters: the name came from the renderer. */
function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._ -]+/g, '_').replace(/^\.+/, '');
  return cleaned.length > 0 ? cleaned.slice(0, 200) : 'upload.csv';
}

function stem(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'batch';
}

function exportFile(fileName: string, content: string, rowCount: number): ExportFile {
  return { fileName, mimeType: 'text/csv', content, rowCount };
}
