import type { AssumedValue } from '@contract/outputs';
import './inputs-table.css';
import './risk-badge.css';

/** "Glucose (assumed 117 mg/dL)": the value the model scored in place of a missing measurement. */
export function assumedPhrase(a: AssumedValue): string {
  return a.value === null
    ? `${a.feature} (not measured)`
    : `${a.feature} (not measured, assumed ${Math.round(a.value * 10) / 10} ${a.unit})`;
}

/**
 * The recommendation as a clinician may act on it: when a key measurement was assumed, a low score is not
 * reassurance, so the sentence says what it rests on and what to do.
 */
export function recommendationText(recommended: boolean, assumed: readonly AssumedValue[]): string {
  const base = recommended ? 'Recommended for diabetes screening' : 'Not recommended for screening at this time';
  if (assumed.length === 0) return base;
  return `${base}, but this score rests on an assumed value: ${assumed.map(assumedPhrase).join(', ')}. Measure it before relying on the score.`;
}

/** The "Incomplete" badge of a patient whose score rests on an assumed key measurement. */
export function IncompleteBadge({ assumed, compact = false }: { assumed: readonly AssumedValue[]; compact?: boolean }) {
  if (assumed.length === 0) return null;
  const text = assumed.map(assumedPhrase).join(', ');
  return (
    <span className="incomplete-badge" title={text} data-testid="incomplete-badge">
      {compact ? 'Incomplete' : `Incomplete: ${text}`}
    </span>
  );
}

/** A worklist cell of a key measurement: the value, or "not measured" with the value the score assumed. */
export function MeasureCell({
  value,
  assumed,
  format,
}: {
  value: number | null;
  assumed: AssumedValue | undefined;
  format: (value: number | null) => string;
}) {
  if (value !== null || !assumed) return <>{format(value)}</>;
  return (
    <span className="imputed" title={assumedPhrase(assumed)}>
      not measured{assumed.value === null ? '' : ` · assumed ${format(assumed.value)}`}
    </span>
  );
}
