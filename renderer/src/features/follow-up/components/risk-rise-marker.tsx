import type { RiskRise } from '@contract/outputs';
import { formatDateTime, formatScore } from '../../../components/format';
import '../follow-up.css';

/** The worklist's marker for a risk that rose since the patient's previous screening. */
export function RiskRiseMarker({ rise }: { rise: RiskRise | null | undefined }) {
  if (!rise) return null;
  const text = `Risk rose since ${formatDateTime(rise.previousDate)}: was ${rise.previousCategory}, ${formatScore(rise.previousScore)}`;
  return (
    <span className="risk-rise" title={text} data-testid="risk-rose">
      <span aria-hidden="true">↑</span> rose<span className="visually-hidden"> ({text})</span>
    </span>
  );
}
