import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeStaleUploads, STALE_UPLOAD_MS } from '../app/temp-upload';
import { createApiClient, revokeApiClient } from '../auth/api-keys';
import { type AppConfig, parseConfig } from '../config/app-config';
import { FEATURE_COLUMNS, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
import { RULE_DESCRIPTIONS } from '../schema/rules';
import { type LoadedScreeningModel, loadScreeningModel } from '../screening/load-model';
import { OUTPUT_HEADER } from '../screening/output-csv';
import { screenFile } from '../screening/screen-file';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { loadPimaColumns } from '../testing/pima';
import { writeUploadFolder } from '../testing/upload-folders';
import { RISK_PROBABILITY_SYSTEM } from './fhir-risk-assessment';
import { type ScoringApi, startScoringApi } from './scoring-api';
import { scoreRequestSchema } from './scoring-api-schema';
import { scoringTempDir } from './scoring-run';

/** The service on an ephemeral port, with the production model, scoring the Pima patients over real HTTP. */

const MODEL_DIR = resolve(import.meta.dirname, '../../models/production');
type Patient = Record<string, string | number | null>;
// biome-ignore lint/suspicious/noExplicitAny: a parsed response body, checked field by field below
type Json = any;
const asJson = (value: unknown): Json => value;

function pimaPatients(): Patient[] {
  const pima = loadPimaColumns();
  return Array.from({ length: pima.outcome.length }, (_, r) => {
    const p: Patient = { patient_id: `P${String(r).padStart(4, '0')}` };
    for (const c of FEATURE_COLUMNS) p[c] = pima.raw[c][r];
    return p;
  });
}

let dir: string;
let config: AppConfig;
let store: Store;
let model: LoadedScreeningModel;
let api: ScoringApi;
let key: string;
const patients = pimaPatients();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scoring-api-'));
  config = parseConfig(
    {
      paths: { dbPath: 'g.db', outputDir: 'out', rejectedDir: 'rejected', modelDir: MODEL_DIR },
      api: { rateLimitPerMinute: 1000 },
    },
    'test',
    dir,
  );
  store = openStore(config.paths.dbPath, { auditKeyring: null });
  model = await loadScreeningModel(MODEL_DIR);
  // What a service killed mid-request leaves (a folder older than any request takes), and another service's request
  // in flight (just made).
  writeUploadFolder(scoringTempDir(config), 'upload-00000000000000aa', STALE_UPLOAD_MS + 60_000);
  writeUploadFolder(scoringTempDir(config), 'upload-00000000000000bb', 0);
  api = await startScoringApi({ store, config, model, port: 0 });
  key = createApiClient(store, 'lab system', 'admin').key;
});

test("start-up's warm-up scores off the record: no batch, no audit event, no output file", () => {
  expect(store.batches.list()).toEqual([]);
  expect(store.audit.list().map((e) => e.action)).toEqual(['api-client.create']);
  expect(existsSync(config.paths.outputDir)).toBe(false);
});

test("start-up removes a request's files left by a service stopped mid-request, not a request in flight", () => {
  // The first was left by a service killed mid-request; the second is another service's request in flight.
  expect(readdirSync(scoringTempDir(config))).toEqual(['upload-00000000000000bb']);
  rmSync(join(scoringTempDir(config), 'upload-00000000000000bb'), { recursive: true });
  expect(removeStaleUploads(join(dir, 'no-such-folder'), Date.now())).toBe(0);
});

test("a request's patients are written beside the database for its batch, never to the system's temporary folder", async () => {
  const systemTemp = mkdtempSync(join(tmpdir(), 'scoring-api-system-temp-'));
  const dataTemp = scoringTempDir(config);
  // Made by the start-up's warm-up, which scores through the same path.
  expect(existsSync(dataTemp)).toBe(true);
  // Each temporary file is removed once its batch is read back: only a watch sees where it went.
  const created = { system: [] as string[], data: [] as string[] };
  const watchers = [
    watch(systemTemp, (_event, file) => file && created.system.push(String(file))),
    watch(dataTemp, (_event, file) => file && created.data.push(String(file))),
  ];
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = systemTemp;
  try {
    expect(tmpdir()).toBe(systemTemp);
    const res = await score({ patients: patients.slice(0, 20) });
    expect(res.status).toBe(200);
    await new Promise((done) => setTimeout(done, 100));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    for (const w of watchers) w.close();
  }
  expect(created.system).toEqual([]);
  expect(created.data.length).toBeGreaterThan(0);
  expect(readdirSync(dataTemp)).toEqual([]);
  expect((statSync(dataTemp).mode & 0o777).toString(8)).toBe('700');
  rmSync(systemTemp, { recursive: true, force: true });
});

afterAll(async () => {
  await api?.close();
  await model?.scorer.release();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(path: string, init: { method?: string; key?: string | null; body?: string; headers?: object } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.headers ?? {}) };
  const k = init.key === undefined ? key : init.key;
  if (k !== null) headers.authorization = `Bearer ${k}`;
  return fetch(new URL(path, api.url), { method: init.method ?? 'POST', headers, body: init.body });
}
const score = (body: unknown, query = '', k?: string | null) =>
  call(`/v1/score${query}`, { body: JSON.stringify(body), key: k });

const refusals = () => store.audit.list({ action: 'api.refused', descending: true });

describe('authentication', () => {
  test.each([
    ['no key', null, 'no key'],
    ['a well-formed key of no client', `gsk_AAAAAAAAAAA_${'A'.repeat(43)}`, 'invalid key'],
    ['a malformed key', 'hello', 'invalid key'],
  ])('%s is refused with 401 and audited without the key', async (_name, k, reason) => {
    const before = store.audit.count();
    const res = await score({ patients: patients.slice(0, 2) }, '', k);
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const body = await res.json().then(asJson);
    expect(body.error.code).toBe('unauthorized');
    const [event] = refusals();
    expect(event.seq).toBeGreaterThan(before);
    expect(event.details.reason).toBe(reason);
    if (k) expect(JSON.stringify(event)).not.toContain(k);
    // Nothing was scored.
    expect(store.audit.list({ action: 'api.score' }).filter((e) => e.seq > before)).toHaveLength(0);
  });

  test('a wrong secret with a real prefix and a revoked key get the same 401 as an unknown key', async () => {
    const { key: other } = createApiClient(store, 'to revoke', 'admin');
    const wrongSecret = `${other.slice(0, 16)}${other.slice(16).split('').reverse().join('')}`;
    const wrong = await score({ patients: patients.slice(0, 1) }, '', wrongSecret);
    expect(wrong.status).toBe(401);
    expect((await score({ patients: patients.slice(0, 1) }, '', other)).status).toBe(200);
    revokeApiClient(store, 'to revoke', 'admin');
    const revoked = await score({ patients: patients.slice(0, 1) }, '', other);
    expect(revoked.status).toBe(401);
    expect(await revoked.json().then(asJson)).toEqual(await wrong.json().then(asJson));
    expect(store.apiClients.get('to revoke')?.revokedBy).toBe('admin');
    expect(store.audit.list({ action: 'api-client.revoke' }).map((e) => e.subject)).toContain('to revoke');
  });

  test('the key is stored only as a hash', () => {
    const found = store.apiClients.byPrefix(key.slice(4, 15));
    expect(found?.client.name).toBe('lab system');
    expect(found?.keySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(config.paths.dbPath).includes(Buffer.from(key.slice(16)))).toBe(false);
  });
});

describe('malformed requests get a 400 naming the rule', () => {
  test('not JSON', async () => {
    const res = await call('/v1/score', { body: '{"patients": [' });
    expect(res.status).toBe(400);
    expect((await res.json().then(asJson)).error.code).toBe('invalid-json');
  });

  test.each([
    ['no patients', { patients: [] }, 'patients', 'too_small'],
    ['a column left out', { patients: [{ ...patients[0], Glucose: undefined }] }, 'patients.0.Glucose', 'invalid_type'],
    ['a value as text', { patients: [{ ...patients[0], BMI: '33.6' }] }, 'patients.0.BMI', 'invalid_type'],
    ['an unknown column', { patients: [{ ...patients[0], Name: 'x' }] }, 'patients.0', 'unrecognized_keys'],
    [
      'a line break in an id',
      { patients: [{ ...patients[0], patient_id: 'a\nb' }] },
      'patients.0.patient_id',
      'invalid_format',
    ],
    ['not an object', [1, 2], '(body)', 'invalid_type'],
  ])('%s', async (_name, body, path, rule) => {
    const res = await score(body);
    expect(res.status).toBe(400);
    const { error } = await res.json().then(asJson);
    expect(error.code).toBe('invalid-request');
    expect(error.issues[0]).toMatchObject({ path, rule });
    expect(error.message).toContain(rule);
    expect(refusals()[0].details.reason).toBe('request schema');
  });

  test('a body over the limit gets 413, and a non-JSON content type 415', async () => {
    const big = 'x'.repeat(config.api.maxBodyBytes + 1);
    expect((await call('/v1/score', { body: big })).status).toBe(413);
    const res = await call('/v1/score', { body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
  });

  test('an unknown format', async () => {
    const res = await score({ patients: patients.slice(0, 1) }, '?format=xml');
    expect(res.status).toBe(400);
    expect((await res.json().then(asJson)).error.message).toContain('json, csv, fhir');
  });
});

describe('scoring', () => {
  test('the Pima patients score exactly as the same rows through the batch pipeline', async () => {
    const res = await score({ patients }, '?format=json');
    expect(res.status).toBe(200);
    const body = await res.json().then(asJson);
    expect(body.scored).toBe(patients.length);
    expect(body.rejected).toEqual([]);

    // The same rows as a CSV file through screenFile, as `npm run screen` runs it, into another store.
    const csvPath = join(dir, 'same-rows.csv');
    const header = ['patient_id', ...FEATURE_COLUMNS].join(',');
    const lines = patients.map((p) => [p.patient_id, ...FEATURE_COLUMNS.map((c) => p[c])].join(','));
    writeFileSync(csvPath, `${header}\n${lines.join('\n')}\n`);
    const other = openStore(join(dir, 'batch.db'), { auditKeyring: null });
    try {
      const outcome = await screenFile({
        inputPath: csvPath,
        outputDir: join(dir, 'batch-out'),
        rejectedDir: join(dir, 'batch-rejected'),
        store: other,
        model,
        actor: 'test',
        source: 'test',
        retry: { ...config.retry, stableWindowMs: 0 },
      });
      if (outcome.kind !== 'completed') throw new Error(outcome.kind);
      const batchRows = readFileSync(outcome.outputPath, 'utf8').trim().split('\n').slice(1);
      expect(batchRows).toHaveLength(patients.length);
      const apiRows = body.predictions.map(
        (p: Record<string, unknown>) =>
          `${p.patient_id},${p.screening_recommendation},${(p.diabetes_risk_score as number).toFixed(3)},${p.risk_category},${p.model_version}`,
      );
      expect(apiRows).toEqual(batchRows.map((l) => l.split(',').slice(0, 5).join(',')));
    } finally {
      other.close();
    }

    // Stored as a batch of source api, by the client, and audited with counts only.
    const batch = store.batches.get(body.batch_id);
    expect(batch).toMatchObject({
      source: 'api',
      actor: 'api:lab system',
      rowsValid: patients.length,
      status: 'completed',
    });
    const event = store.audit.list({ action: 'api.score', descending: true })[0];
    expect(event).toMatchObject({ actor: 'api:lab system', subject: String(body.batch_id) });
    expect(event.details).toMatchObject({ patients: patients.length, scored: patients.length, rejected: 0 });
    expect(JSON.stringify(event.details)).not.toContain('148');
  });

  test('invalid patients are listed by index, patient_id, field and rule; the others are scored', async () => {
    const sent = patients.slice(0, 50).map((p) => ({ ...p }));
    sent[3].Glucose = null;
    sent[7].BMI = -1;
    sent[11].Age = 400;
    sent[20].patient_id = '';
    const res = await score({ patients: sent });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rejected-count')).toBe('4');
    const body = await res.json().then(asJson);
    expect(body.scored).toBe(46);
    const byIndex = Object.fromEntries(body.rejected.map((r: { index: number }) => [r.index, r]));
    expect(byIndex[3]).toMatchObject({ patient_id: 'P0003', field: 'Glucose', rule: 'missing' });
    expect(byIndex[3].message).toBe(RULE_DESCRIPTIONS.missing);
    expect(byIndex[7]).toMatchObject({ patient_id: 'P0007', field: 'BMI', rule: 'negative' });
    expect(byIndex[11]).toMatchObject({ patient_id: 'P0011', field: 'Age' });
    expect(byIndex[20]).toMatchObject({ rule: 'id_missing' });
    const ids = body.predictions.map((p: { patient_id: string }) => p.patient_id);
    expect(ids).not.toContain('P0003');
    expect(ids).toContain('P0004');
  });

  test('a request with no valid patient gets 422 and the list', async () => {
    const res = await score({ patients: [{ ...patients[0], Age: -5 }] });
    expect(res.status).toBe(422);
    const body = await res.json().then(asJson);
    expect(body.error.code).toBe('batch-rejected');
    expect(body.rejected[0]).toMatchObject({ index: 0, field: 'Age', rule: 'negative' });
  });

  test('CSV is the batch output file, by query or by Accept', async () => {
    const res = await score({ patients: patients.slice(0, 30) }, '?format=csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe(OUTPUT_HEADER);
    expect(lines).toHaveLength(31);
    expect(lines[1].startsWith('P0000,')).toBe(true);
    const viaAccept = await call('/v1/score', {
      body: JSON.stringify({ patients: patients.slice(0, 2) }),
      headers: { accept: 'text/csv' },
    });
    expect((await viaAccept.text()).split('\n')[0]).toBe(OUTPUT_HEADER);
  });
});

describe('FHIR R4 output', () => {
  const OBSERVATION_STATUS = [
    'registered',
    'preliminary',
    'final',
    'amended',
    'corrected',
    'cancelled',
    'entered-in-error',
    'unknown',
  ];

  test('a Bundle of RiskAssessment resources with the required elements and value sets', async () => {
    const sent = patients.slice(0, 200);
    const json = await (await score({ patients: sent }, '?format=json')).json().then(asJson);
    const res = await score({ patients: sent }, '?format=fhir');
    expect(res.headers.get('content-type')).toBe('application/fhir+json');
    const bundle = await res.json().then(asJson);
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    expect(bundle.entry).toHaveLength(sent.length);
    const risk: Record<string, string> = { Low: 'low', Medium: 'moderate', High: 'high' };
    bundle.entry.forEach((entry: { resource: Json }, i: number) => {
      const ra = entry.resource;
      expect(ra.resourceType).toBe('RiskAssessment');
      // Required in R4: status (ObservationStatus) and subject (a Reference).
      expect(OBSERVATION_STATUS).toContain(ra.status);
      expect(ra.subject.identifier.value).toBe(sent[i].patient_id);
      expect(Object.keys(ra.subject)).toEqual(['identifier']);
      expect(Number.isNaN(Date.parse(ra.occurrenceDateTime))).toBe(false);
      expect(ra.prediction).toHaveLength(1);
      const [prediction] = ra.prediction;
      expect(prediction.probabilityDecimal).toBeGreaterThanOrEqual(0);
      expect(prediction.probabilityDecimal).toBeLessThanOrEqual(1);
      expect(prediction.probabilityDecimal).toBe(json.predictions[i].diabetes_risk_score);
      const [coding] = prediction.qualitativeRisk.coding;
      expect(coding.system).toBe(RISK_PROBABILITY_SYSTEM);
      expect(['negligible', 'low', 'moderate', 'high', 'certain']).toContain(coding.code);
      expect(coding.code).toBe(risk[json.predictions[i].risk_category]);
      expect(prediction.outcome.coding[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '44054006' });
      expect(ra.method.coding[0].code).toBe(model.version);
      expect(ra.basis[0].reference).toMatch(/^urn:glucoscreen:batch:\d+$/);
      const imputed = ZERO_IMPUTE_COLUMNS.filter((c) => sent[i][c] === 0);
      if (imputed.length > 0) expect(ra.note[0].text).toContain(imputed.join(', '));
      else expect(ra.note).toBeUndefined();
      // Nothing about the patient but the id.
      for (const c of FEATURE_COLUMNS) expect(JSON.stringify(ra)).not.toContain(`"${c}"`);
    });
    expect(bundle.entry.some((e: { resource: { note?: unknown } }) => e.resource.note)).toBe(true);
  });
});

describe('health and OpenAPI', () => {
  test('health names the model, needs a key and is audited', async () => {
    const res = await call('/v1/health', { method: 'GET' });
    expect(await res.json().then(asJson)).toMatchObject({ status: 'ok', model_version: model.version });
    expect(store.audit.list({ action: 'api.call', descending: true })[0]).toMatchObject({
      actor: 'api:lab system',
      details: { path: '/v1/health' },
    });
    expect((await call('/v1/health', { method: 'GET', key: null })).status).toBe(401);
  });

  test('the OpenAPI document describes the validator: what it accepts is accepted and the reverse', async () => {
    const doc = await (await call('/v1/openapi.json', { method: 'GET' })).json().then(asJson);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/v1/score', '/v1/health', '/v1/openapi.json']);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const status of ['400', '401', '413', '429'])
      expect(doc.paths['/v1/score'].post.responses[status]).toBeDefined();
    // Every $ref resolves.
    for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
      expect(doc.components.schemas[ref[1]]).toBeDefined();
    }
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(doc.components.schemas.ScoreRequest);
    const zod = scoreRequestSchema(config.api.maxPatients);
    const bodies: unknown[] = [
      { patients: patients.slice(0, 3) },
      { patients: [{ ...patients[0], Insulin: null }] },
      { patients: [{ ...patients[0], patient_id: 17 }] },
      { patients: [] },
      { patients: [{ ...patients[0], Extra: 1 }] },
      { patients: [{ ...patients[0], Glucose: '148' }] },
      { patients: [{ ...patients[0], patient_id: 'a\tb' }] },
      { patients: [{ ...patients[0], patient_id: -1 }] },
      { people: [] },
    ];
    for (const body of bodies) expect(validate(body)).toBe(zod.safeParse(body).success);
    // And the described-valid body is scored by the service.
    expect((await score(bodies[1])).status).toBe(422); // Insulin null: a row the batch rejects as missing
    expect((await score(bodies[2])).status).toBe(200);
  });
});

describe('rate limit', () => {
  test('past the per-client budget a call gets 429 with Retry-After, until the bucket refills', async () => {
    let now = 1_000_000;
    const limited = await startScoringApi({
      store,
      config: { ...config, api: { ...config.api, rateLimitPerMinute: 2 } },
      model,
      port: 0,
      nowMs: () => now,
    });
    try {
      const health = () => fetch(new URL('/v1/health', limited.url), { headers: { authorization: `Bearer ${key}` } });
      expect((await health()).status).toBe(200);
      expect((await health()).status).toBe(200);
      const refused = await health();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBe(30);
      expect(refusals()[0]).toMatchObject({ actor: 'api:lab system', details: { reason: 'rate limit' } });
      now += 30_000;
      expect((await health()).status).toBe(200);
      expect((await health()).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  test('requests under another host name are refused (DNS rebinding)', async () => {
    // fetch may not set Host; node:http may.
    const status = await new Promise<number>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: api.port,
          path: '/v1/health',
          headers: { host: 'evil.example', authorization: `Bearer ${key}` },
        },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(421);
  });
});
