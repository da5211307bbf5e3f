import type { RiskRise, WorklistRow } from '../../api/outputs';
import { riskRose } from '../../followup/risk-rise';
import type { Store } from '../../store/store';

/** The worklist's "risk rose" marker: the patient's previous screening when the rule in risk-rise.ts holds. */
export function riskRiseOf(
  store: Store,
  batchId: number,
  row: Pick<WorklistRow, 'patientId' | 'score' | 'category'>,
): RiskRise | null {
  const previous = store.followUps.previousScreening(row.patientId, batchId);
  if (!previous || !riskRose(previous, row)) return null;
  return { previousScore: previous.score, previousCategory: previous.category, previousDate: previous.predictionDate };
}
