import type { AssumedValue, RiskCategory } from '@contract/outputs';
import { IncompleteBadge, recommendationText } from './assumed-values';
import { formatScore } from './format';
import { RiskBadge } from './risk-badge';

/** A patient's risk at a glance: category badge, score, the recommendation and, if any, the assumed-values badge. */
export function ScoreBlock({
  scored,
  scoreTestId,
  children,
}: {
  scored: { category: RiskCategory; score: number; recommended: boolean; assumed: readonly AssumedValue[] };
  /** The test id of the score. */
  scoreTestId: string;
  /** Further badges after the standard ones. */
  children?: React.ReactNode;
}) {
  return (
    <div className="score-block">
      <RiskBadge category={scored.category} />
      <span className="score" data-testid={scoreTestId}>
        Risk score {formatScore(scored.score)}
      </span>
      <span data-testid="recommendation">{recommendationText(scored.recommended, scored.assumed)}</span>
      <IncompleteBadge assumed={scored.assumed} />
      {children}
    </div>
  );
}
