import type { BatchSummary } from '@contract/outputs';

/** What changed in a batch, in a clinician's words; null when nothing drifted. */
export function batchDriftNoticeText(drift: BatchSummary['drift']): string | null {
  const parts: string[] = [];
  if (drift.importantDrifted.length > 0) {
    parts.push(
      `measurements the model relies on most differ from its training data (${drift.importantDrifted.join(', ')})`,
    );
  } else if (drift.verdict === 'drift') {
    parts.push(`several measurements differ from the model's training data (${drift.driftedFeatures.join(', ')})`);
  }
  if (drift.outputDrift) parts.push("the model's scores are distributed unlike its training data");
  if (parts.length === 0) return null;
  return (
    `This batch is unusual: ${parts.join('; and ')}. Its scores may be less reliable. ` +
    "Check the file's units and source before acting on them, and tell your administrator."
  );
}

/** Shown on the import summary and the worklist of a batch whose data or scores drifted. */
export function BatchDriftNotice({ drift }: { drift: BatchSummary['drift'] }) {
  const text = batchDriftNoticeText(drift);
  if (!text) return null;
  return (
    <p className="banner banner-warning" role="status" data-testid="batch-drift-notice">
      {text}
    </p>
  );
}
