import type { WeeklyPerformance } from './weekly-performance';

function rate(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(3);
}

/** Plain-text weekly table for `npm run monitor`: realised numbers, the validation estimate, and the status. */
export function weeklyTableLines(rows: readonly WeeklyPerformance[]): string[] {
  const header =
    `${'week'.padEnd(10)}${'model'.padEnd(10)}${'n'.padStart(6)}${'pos'.padStart(6)}` +
    `${'recall'.padStart(8)}${'prec'.padStart(8)}${'F2'.padStart(8)}${'AUC'.padStart(8)}${'FN'.padStart(5)}${'FP'.padStart(5)}` +
    `  ${'validation R/P/F2/AUC'.padEnd(24)}status`;
  const lines = [header];
  for (const r of rows) {
    const v = r.validationEstimate;
    const estimate = v ? `${rate(v.recall)}/${rate(v.precision)}/${rate(v.f2)}/${rate(v.auc)}` : '-';
    lines.push(
      `${r.week.padEnd(10)}${r.modelVersion.padEnd(10)}${String(r.n).padStart(6)}${String(r.positives).padStart(6)}` +
        `${rate(r.recall).padStart(8)}${rate(r.precision).padStart(8)}${rate(r.f2).padStart(8)}${rate(r.auc).padStart(8)}` +
        `${String(r.fn).padStart(5)}${String(r.fp).padStart(5)}  ${estimate.padEnd(24)}${r.status}`,
    );
    const groups = r.subgroupRecall
      .filter((g) => g.n > 0)
      .map((g) => `${g.group} ${rate(g.recall)} (${g.positives}/${g.n})`)
      .join(', ');
    lines.push(`${''.padEnd(20)}recall by Age_Group: ${groups}`);
  }
  return lines;
}
