import type { RiskCategory } from '../api/outputs';
import { StoreError } from './store-error';

/** The one mapping between stored category codes (`predictions.category`, the writer thread's messages) and risk categories. */
export const RISK_CATEGORY_BY_CODE: readonly RiskCategory[] = ['Low', 'Medium', 'High'];

export function categoryCode(category: RiskCategory): number {
  switch (category) {
    case 'Low':
      return 0;
    case 'Medium':
      return 1;
    case 'High':
      return 2;
    default:
      throw new StoreError('invalid', `unknown risk category ${JSON.stringify(category)}`);
  }
}

export function categoryOf(code: unknown): RiskCategory {
  const category = RISK_CATEGORY_BY_CODE[code as number];
  if (category === undefined) throw new StoreError('invalid', `unknown risk category code ${String(code)}`);
  return category;
}
