/** A share as the monitoring texts print it: one decimal and a spaced percent sign, e.g. "79.6 %". */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
