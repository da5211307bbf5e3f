/**
 * The local scoring API for other systems on this workstation: plain node:http bound to 127.0.0.1, per-client
 * keys (Authorization: Bearer), a token-bucket rate limit per client, a body limit, and no CORS headers, so a web
 * page of another origin can neither read an answer nor send the key-bearing request.
 *
 * Every call is audited: `api.call` (health, openapi), `api.score` (rows and batch, never values), `api.refused`
 * (why, never the presented key). Scoring requests run one at a time, as batches (scoring-run.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { removeStaleUploads } from '../app/temp-upload';
import { clientForKey } from '../auth/api-keys';
import type { AppConfig } from '../config/app-config';
import { alertRulesOf, raiseDueAlerts } from '../monitoring/alert-sweep';
import type { LoadedScreeningModel } from '../screening/load-model';
import type { BatchObserver } from '../screening/screen-file';
import type { ApiClientRecord } from '../store/api-client-repository';
import type { Store } from '../store/store';
import { riskAssessmentBundle } from './fhir-risk-assessment';
import {
  openApiDocument,
  SCORE_FORMATS,
  type ScoreFormat,
  type ScorePatient,
  scoreRequestSchema,
} from './scoring-api-schema';
import { imputedFields, runScoring, type ScoringDeps, scoringTempDir, warmUp } from './scoring-run';

export interface ScoringApiOptions {
  store: Store;
  config: AppConfig;
  model: LoadedScreeningModel;
  /** Drift detection per request batch, as for a file (null: drift off). */
  observer?: () => BatchObserver | undefined;
  /** 0: an ephemeral port (tests). Default config.api.port. */
  port?: number;
  /**
   * Rounds of made-up full-size requests (one per answer format) scored before listening, off the record; 0: none.
   * Default 2: code run once on a batch is not yet optimised for the next.
   */
  warmUpRounds?: number;
  /** Injectable clock (ms) for the rate limit. */
  nowMs?: () => number;
}

export interface ScoringApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MODEL_NAME = 'Glucoscreen GBDT';
const UNAUTHORIZED = 'A valid API key is required (Authorization: Bearer <key>).';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; rule: string; message: string }[],
  ) {
    super(message);
  }
}

/** Per-client token buckets: `perMinute` requests in a burst, refilled evenly over a minute. */
function rateLimiter(perMinute: number, nowMs: () => number) {
  const buckets = new Map<number, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return (clientId: number): { ok: true } | { ok: false; retryAfterSeconds: number } => {
    const now = nowMs();
    const b = buckets.get(clientId) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
    b.at = now;
    buckets.set(clientId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
  };
}

export async function startScoringApi(options: ScoringApiOptions): Promise<ScoringApi> {
  const { store, config, model } = options;
  const nowMs = options.nowMs ?? Date.now;
  const startedAt = nowMs();
  // What a service stopped mid-request left. File times are the wall clock's, whatever clock the rate limit runs on.
  removeStaleUploads(scoringTempDir(config), Date.now());
  const limit = rateLimiter(config.api.rateLimitPerMinute, nowMs);
  const requestSchema = scoreRequestSchema(config.api.maxPatients);
  const openApi = openApiDocument({
    maxPatients: config.api.maxPatients,
    maxBodyBytes: config.api.maxBodyBytes,
    version: model.version,
  });
  // One batch at a time, as the store writes one open batch at a time.
  let queue: Promise<unknown> = Promise.resolve();
  let port = 0;

  const refuse = (req: IncomingMessage, reason: string, client: ApiClientRecord | null) => {
    store.audit.append({
      actor: client ? `api:${client.name}` : 'api:unknown',
      action: 'api.refused',
      details: { reason, method: req.method, path: pathOf(req), remote: req.socket.remoteAddress ?? null },
    });
  };

  const server: Server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        return sendJson(res, error.status, {
          error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
        });
      }
      console.error('[scoring-api]', (error as Error).message);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page on another site reaching 127.0.0.1 through DNS rebinding arrives under its own host name.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      throw new HttpError(421, 'wrong-host', 'Use http://127.0.0.1:<port>/.');
    }
    const path = pathOf(req);
    const known = ['/v1/score', '/v1/health', '/v1/openapi.json'];
    if (!known.includes(path)) throw new HttpError(404, 'not-found', `No endpoint ${path}.`);

    const client = authenticate(req);
    const allowed = limit(client.id);
    if (!allowed.ok) {
      refuse(req, 'rate limit', client);
      res.setHeader('retry-after', String(allowed.retryAfterSeconds));
      throw new HttpError(429, 'rate-limited', `At most ${config.api.rateLimitPerMinute} requests a minute.`);
    }
    store.apiClients.markUsed(client.id);
    const actor = `api:${client.name}`;

    if (path === '/v1/health' || path === '/v1/openapi.json') {
      if (req.method !== 'GET') throw new HttpError(405, 'method-not-allowed', `${path} takes GET.`);
      store.audit.append({ actor, action: 'api.call', details: { path } });
      if (path === '/v1/openapi.json') return sendJson(res, 200, openApi);
      return sendJson(res, 200, {
        status: 'ok',
        model_version: model.version,
        uptime_seconds: Math.round((nowMs() - startedAt) / 1000),
      });
    }

    if (req.method !== 'POST') throw new HttpError(405, 'method-not-allowed', '/v1/score takes POST.');
    const format = formatOf(req);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      refuse(req, 'not JSON', client);
      throw new HttpError(415, 'unsupported-media-type', 'The body must be application/json.');
    }
    // A declared length over the limit is refused before a byte is read.
    const declared = Number(req.headers['content-length'] ?? 0);
    const body = declared > config.api.maxBodyBytes ? null : await readBody(req, config.api.maxBodyBytes);
    if (body === null) {
      res.setHeader('connection', 'close');
      refuse(req, 'body too large', client);
      throw new HttpError(413, 'too-large', `The body is larger than ${config.api.maxBodyBytes} bytes.`);
    }
    const patients = parseRequest(body, requestSchema, (reason) => refuse(req, reason, client));
    const scoring = { store, config, model, observer: options.observer };
    const run = queue.then(() => scoreRequest(scoring, patients, format, actor));
    queue = run.catch(() => undefined);
    const reply = await run;
    for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
    return send(res, reply.status, reply.type, reply.body);
  }

  function authenticate(req: IncomingMessage): ApiClientRecord {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const client = match ? clientForKey(store.apiClients, match[1]) : null;
    if (client) return client;
    refuse(req, header ? 'invalid key' : 'no key', null);
    throw new HttpError(401, 'unauthorized', UNAUTHORIZED);
  }

  const warmUpRounds = options.warmUpRounds ?? 2;
  if (warmUpRounds > 0) {
    // Every answer format, one batch at a time as for real requests.
    await warmUp(
      { store, config, model, observer: options.observer },
      async (deps, body) => {
        for (const format of SCORE_FORMATS) {
          await scoreRequest(
            deps,
            parseRequest(body, requestSchema, () => {}),
            format,
            'api:warm-up',
          );
        }
      },
      warmUpRounds,
    );
  }
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.api.port, '127.0.0.1', resolveListen);
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await queue;
    },
  };
}

interface ScoreReply {
  status: number;
  type: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** One parsed request scored as a batch, audited, and serialised in the format asked for. */
async function scoreRequest(
  deps: ScoringDeps,
  patients: readonly ScorePatient[],
  format: ScoreFormat,
  actor: string,
): Promise<ScoreReply> {
  const { store, config, model } = deps;
  const outcome = await runScoring(deps, patients, actor);
  store.audit.append({
    actor,
    action: 'api.score',
    subject: String(outcome.batchId),
    details: {
      format,
      patients: patients.length,
      scored: outcome.ok ? outcome.predictions.length : 0,
      rejected: outcome.rejected.length,
      batchId: outcome.batchId,
      ...(outcome.ok ? {} : { outcome: outcome.reason }),
    },
  });
  const headers = { 'x-batch-id': String(outcome.batchId), 'x-rejected-count': String(outcome.rejected.length) };
  const json = (status: number, value: unknown): ScoreReply => ({
    status,
    type: 'application/json',
    headers,
    body: Buffer.from(JSON.stringify(value)),
  });
  if (!outcome.ok) {
    return json(422, {
      error: { code: `batch-${outcome.reason}`, message: outcome.message },
      batch_id: outcome.batchId,
      rejected: outcome.rejected,
    });
  }
  // Alerts are due now, as after a batch of the CLI.
  raiseDueAlerts(store, { ...alertRulesOf(config), actor });
  if (format === 'csv') return { status: 200, type: 'text/csv; charset=utf-8', headers, body: outcome.csv };
  if (format === 'fhir') {
    const byId = new Map<string, ScorePatient>(patients.map((p) => [String(p.patient_id), p]));
    const bundle = riskAssessmentBundle(outcome.predictions, {
      batchId: outcome.batchId,
      modelName: MODEL_NAME,
      imputed: (id) => {
        const p = byId.get(id);
        return p ? imputedFields(p) : [];
      },
    });
    return { status: 200, type: 'application/fhir+json', headers, body: Buffer.from(JSON.stringify(bundle)) };
  }
  return json(200, {
    batch_id: outcome.batchId,
    model_version: model.version,
    scored: outcome.predictions.length,
    rejected: outcome.rejected,
    predictions: outcome.predictions,
  });
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
}

function formatOf(req: IncomingMessage): ScoreFormat {
  const asked = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('format');
  if (asked !== null) {
    if ((SCORE_FORMATS as readonly string[]).includes(asked)) return asked as ScoreFormat;
    throw new HttpError(400, 'invalid-format', `format must be one of ${SCORE_FORMATS.join(', ')}.`);
  }
  const accept = req.headers.accept ?? '';
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes('application/fhir+json')) return 'fhir';
  return 'json';
}

function parseRequest(
  body: string,
  schema: ReturnType<typeof scoreRequestSchema>,
  refuse: (reason: string) => void,
): ScorePatient[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    refuse('not JSON');
    throw new HttpError(400, 'invalid-json', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    refuse('request schema');
    // Paths and rules only: a message never repeats a submitted value.
    const issues = parsed.error.issues.slice(0, 100).map((i) => ({
      path: i.path.map(String).join('.') || '(body)',
      rule: i.code,
      message: i.message,
    }));
    const first = issues[0];
    throw new HttpError(400, 'invalid-request', `${first.path}: ${first.message} (${first.rule})`, issues);
  }
  return parsed.data.patients;
}

function send(res: ServerResponse, status: number, type: string, body: Buffer): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', Buffer.from(JSON.stringify(value)));
}

/** The body, or null once it passes `max` bytes (the rest is drained, not kept). */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolveBody(size > max ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
