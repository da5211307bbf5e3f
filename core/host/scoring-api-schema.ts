/**
 * The request of the local scoring API and its OpenAPI document, both from one zod schema. The schema checks the
 * shape only (an object per patient with every input column); the values are checked by the batch's own rules
 * after it, so a patient the batch would reject is rejected here with the same rule.
 */
import { z } from 'zod';
import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';

/** A patient_id as text: no control characters, so one patient is one CSV line and rejected rows map back. */
const PatientId = z.union([
  // Empty or too long is left to the batch rules (id_missing, id_too_long): one patient rejected, not the request.
  z
    .string()
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rule refuses
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'patient_id must not contain control characters'),
  z.number().int().nonnegative(),
]);

/** null is a value not measured: the batch rejects it as `missing`, as it does an empty cell. */
const featureShape = Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, z.number().nullable()])) as Record<
  FeatureName,
  z.ZodNullable<z.ZodNumber>
>;

export const ScorePatient = z.strictObject({ patient_id: PatientId, ...featureShape });
export type ScorePatient = z.infer<typeof ScorePatient>;

export function scoreRequestSchema(maxPatients: number) {
  return z.strictObject({ patients: z.array(ScorePatient).min(1).max(maxPatients) });
}

export const SCORE_FORMATS = ['json', 'csv', 'fhir'] as const;
export type ScoreFormat = (typeof SCORE_FORMATS)[number];

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

const rejectedSchema = {
  type: 'object',
  required: ['index', 'patient_id', 'field', 'rule', 'message'],
  properties: {
    index: { type: 'integer', description: 'position in `patients`, from 0' },
    patient_id: { type: ['string', 'null'] },
    field: { type: 'string' },
    rule: { type: 'string' },
    message: { type: 'string' },
  },
};

const predictionSchema = {
  type: 'object',
  required: [
    'patient_id',
    'screening_recommendation',
    'diabetes_risk_score',
    'risk_category',
    'model_version',
    'prediction_date',
  ],
  properties: {
    patient_id: { type: 'string' },
    screening_recommendation: { type: 'integer', enum: [0, 1] },
    diabetes_risk_score: { type: 'number', minimum: 0, maximum: 1 },
    risk_category: { type: 'string', enum: ['Low', 'Medium', 'High'] },
    model_version: { type: 'string' },
    prediction_date: { type: 'string', format: 'date-time' },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** OpenAPI 3.1 (its schemas are JSON Schema 2020-12, which z.toJSONSchema writes). */
export function openApiDocument(options: { maxPatients: number; maxBodyBytes: number; version: string }) {
  const request = z.toJSONSchema(scoreRequestSchema(options.maxPatients), { target: 'draft-2020-12' });
  delete (request as { $schema?: string }).$schema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Glucoscreen local scoring API',
      version: options.version,
      description:
        'Diabetes-risk screening of patients by the production model, on this workstation only (127.0.0.1). ' +
        'Every call is audited with the client name; each scoring request is stored as a batch.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key created by an admin.' } },
      schemas: {
        ScoreRequest: request,
        Prediction: predictionSchema,
        RejectedPatient: rejectedSchema,
        Error: errorSchema,
        ScoreResponse: {
          type: 'object',
          required: ['batch_id', 'model_version', 'scored', 'rejected', 'predictions'],
          properties: {
            batch_id: { type: 'integer' },
            model_version: { type: 'string' },
            scored: { type: 'integer' },
            rejected: { type: 'array', items: { $ref: '#/components/schemas/RejectedPatient' } },
            predictions: { type: 'array', items: { $ref: '#/components/schemas/Prediction' } },
          },
        },
      },
    },
    paths: {
      '/v1/score': {
        post: {
          summary: 'Score one or many patients, with the batch rules; invalid patients are listed, the rest scored',
          parameters: [
            {
              name: 'format',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: [...SCORE_FORMATS], default: 'json' },
              description: 'or by Accept: text/csv, application/fhir+json',
            },
          ],
          requestBody: {
            required: true,
            description: `At most ${options.maxBodyBytes} bytes.`,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ScoreRequest' } } },
          },
          responses: {
            '200': {
              description:
                'Scored. CSV: the batch output file; FHIR: a Bundle of RiskAssessment. The headers X-Batch-Id and X-Rejected-Count hold the batch and the number of rejected patients.',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/ScoreResponse' } },
                'text/csv': { schema: { type: 'string' } },
                'application/fhir+json': { schema: { type: 'object' } },
              },
            },
            '400': errorResponse('Not JSON, or not the request schema; issues name the path and rule'),
            '401': errorResponse('No key, or not a valid key'),
            '413': errorResponse('The body is larger than the limit'),
            '415': errorResponse('The body is not application/json'),
            '422': errorResponse('No patient could be scored (all rejected, or held for its units)'),
            '429': errorResponse('Rate limit reached; see Retry-After'),
          },
        },
      },
      '/v1/health': {
        get: {
          summary: 'Status, model version and uptime (no patient data)',
          responses: {
            '200': {
              description: 'Up',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['status', 'model_version', 'uptime_seconds'],
                    properties: {
                      status: { type: 'string', enum: ['ok'] },
                      model_version: { type: 'string' },
                      uptime_seconds: { type: 'number' },
                    },
                  },
                },
              },
            },
            '401': errorResponse('No key, or not a valid key'),
            '429': errorResponse('Rate limit reached; see Retry-After'),
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
        },
      },
    },
  };
}
