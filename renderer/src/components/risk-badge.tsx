import type { RiskCategory } from '@contract/outputs';
import './risk-badge.css';

const SYMBOL: Record<RiskCategory, string> = { High: '▲', Medium: '◆', Low: '●' };

/** Risk by text and colour (and shape), never by colour alone. */
export function RiskBadge({ category }: { category: RiskCategory }) {
  return (
    <span className={`risk-badge risk-${category.toLowerCase()}`}>
      <span aria-hidden="true">{SYMBOL[category]} </span>
      {category}
    </span>
  );
}
