/**
 * Predictions as HL7 FHIR R4: a Bundle (type collection) of RiskAssessment resources, one per patient. The subject
 * is the patient_id as an identifier (no other patient data); qualitativeRisk uses the risk-probability code system.
 */
import type { RiskCategory } from '../api/outputs';
import type { ApiPrediction } from './scoring-run';

export const RISK_PROBABILITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/risk-probability';
const QUALITATIVE: Record<RiskCategory, { code: string; display: string }> = {
  Low: { code: 'low', display: 'Low likelihood' },
  Medium: { code: 'moderate', display: 'Moderate likelihood' },
  High: { code: 'high', display: 'High likelihood' },
};

export interface FhirContext {
  batchId: number;
  modelName: string;
  /** Fields each patient had imputed (a zero read as "not measured"), by patient_id. */
  imputed: (patientId: string) => readonly string[];
}

export function riskAssessmentBundle(predictions: readonly ApiPrediction[], ctx: FhirContext) {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: predictions[0]?.prediction_date ?? new Date().toISOString(),
    entry: predictions.map((p) => ({ resource: riskAssessment(p, ctx) })),
  };
}

function riskAssessment(p: ApiPrediction, ctx: FhirContext) {
  const imputed = ctx.imputed(p.patient_id);
  return {
    resourceType: 'RiskAssessment',
    status: 'final',
    subject: { identifier: { value: p.patient_id } },
    occurrenceDateTime: p.prediction_date,
    method: {
      coding: [{ system: 'urn:glucoscreen:model', code: p.model_version, display: ctx.modelName }],
      text: `${ctx.modelName} ${p.model_version}`,
    },
    basis: [{ reference: `urn:glucoscreen:batch:${ctx.batchId}`, display: `screening batch ${ctx.batchId}` }],
    prediction: [
      {
        outcome: {
          coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
          text: 'Type 2 diabetes',
        },
        probabilityDecimal: p.diabetes_risk_score,
        qualitativeRisk: {
          coding: [{ system: RISK_PROBABILITY_SYSTEM, ...QUALITATIVE[p.risk_category] }],
        },
      },
    ],
    ...(imputed.length > 0
      ? {
          note: [
            { text: `Incomplete inputs: ${imputed.join(', ')} not measured; the model's assumed value was used.` },
          ],
        }
      : {}),
  };
}
