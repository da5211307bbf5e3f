import type { RiskCategory } from '@contract/outputs';
import type { ShadowComparison, SideMetrics } from '@contract/shadow-types';
import { Bar, BarChart } from 'recharts';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, fixed, percent } from '../../../components/chart-figure';
import { formatDateTime } from '../../../components/format';
import { SimpleTable } from '../../../components/simple-table';

const CATEGORIES: readonly RiskCategory[] = ['High', 'Medium', 'Low'];

/** Agreement on the recommendation and the category flips (rows production, columns shadow). */
function AgreementPanel({ c }: { c: ShadowComparison }) {
  const a = c.agreement;
  const flips = CATEGORIES.flatMap((from) =>
    CATEGORIES.filter((to) => to !== from && c.flips[from][to] > 0).map(
      (to) => `${c.flips[from][to]} ${from} would become ${to}`,
    ),
  );
  return (
    <section className="panel" aria-labelledby="shadow-agreement">
      <h2 id="shadow-agreement">Agreement</h2>
      <p>
        Same screening recommendation for <strong>{a.agreeing}</strong> of {a.n} patients ({percent(a.rate)});
        recommended by production only: {a.productionOnly}, by the shadow only: {a.shadowOnly}.
      </p>
      <SimpleTable
        label="Category flips, production (rows) against shadow (columns)"
        rows={CATEGORIES}
        rowKey={(from) => from}
        columns={[
          { header: 'Production \u2193 / shadow \u2192', cell: (from) => from },
          ...CATEGORIES.map((to) => ({
            header: to,
            cell: (from: RiskCategory) => c.flips[from][to],
            className: 'num',
          })),
        ]}
      />
      <p className="muted">{flips.length > 0 ? `${flips.join('; ')}.` : 'No patient changes category.'}</p>
    </section>
  );
}

function DistributionPanel({ c }: { c: ShadowComparison }) {
  const { production, shadow } = c.distributions;
  const bins = production.histogram.map((count, i) => ({
    bin: `${(i / 10).toFixed(1)}\u2013${((i + 1) / 10).toFixed(1)}`,
    production: count,
    shadow: shadow.histogram[i],
  }));
  const rows = [
    { name: 'production', d: production },
    { name: 'shadow', d: shadow },
  ];
  return (
    <section className="panel" aria-labelledby="shadow-distributions">
      <h2 id="shadow-distributions">Score distributions</h2>
      <ChartFigure
        title="Patients per score band, production beside shadow"
        summary={bins.map((b) => `${b.bin}: production ${b.production}, shadow ${b.shadow}`).join('; ')}
      >
        <BarChart data={bins}>
          <ChartAxes x={{ dataKey: 'bin' }} y={{ allowDecimals: false }} legend />
          <Bar dataKey="production" fill={CHART_COLORS.accent} isAnimationActive={false} />
          <Bar dataKey="shadow" fill={CHART_COLORS.second} isAnimationActive={false} />
        </BarChart>
      </ChartFigure>
      <SimpleTable
        label="Score quantiles"
        rows={rows}
        rowKey={(r) => r.name}
        columns={[
          { header: 'Model', cell: (r) => r.name },
          { header: 'n', cell: (r) => r.d.n, className: 'num' },
          { header: 'Mean', cell: (r) => fixed(r.d.mean), className: 'num' },
          { header: 'P5', cell: (r) => fixed(r.d.quantiles?.p05), className: 'num' },
          { header: 'P25', cell: (r) => fixed(r.d.quantiles?.p25), className: 'num' },
          { header: 'Median', cell: (r) => fixed(r.d.quantiles?.p50), className: 'num' },
          { header: 'P75', cell: (r) => fixed(r.d.quantiles?.p75), className: 'num' },
          { header: 'P95', cell: (r) => fixed(r.d.quantiles?.p95), className: 'num' },
        ]}
      />
    </section>
  );
}

function LabelledPanel({ c }: { c: ShadowComparison }) {
  const l = c.labelled;
  const rows: { name: string; m: SideMetrics }[] = [
    { name: `production (${c.productionVersions.join(', ') || '—'})`, m: l.production },
    { name: `shadow (${c.shadowVersion})`, m: l.shadow },
  ];
  const m = l.mcnemar;
  const d = l.decision;
  return (
    <section className="panel" aria-labelledby="shadow-labelled">
      <h2 id="shadow-labelled">On the same labelled patients</h2>
      {l.labelledPatients === 0 ? (
        <p className="muted">No labels yet for the patients the shadow scored. Import labels in Monitoring.</p>
      ) : (
        <>
          <p>
            {l.labelledPatients} labelled patients, {l.positives} with diabetes.
          </p>
          <SimpleTable
            label="Realised performance of both models"
            rows={rows}
            rowKey={(r) => r.name}
            columns={[
              { header: 'Model', cell: (r) => r.name },
              { header: 'Recall', cell: (r) => fixed(r.m.recall), className: 'num' },
              { header: 'Precision', cell: (r) => fixed(r.m.precision), className: 'num' },
              { header: 'F2', cell: (r) => fixed(r.m.f2), className: 'num' },
              { header: 'AUC', cell: (r) => fixed(r.m.auc), className: 'num' },
              { header: 'Missed (FN)', cell: (r) => r.m.fn, className: 'num' },
              { header: 'False alarms (FP)', cell: (r) => r.m.fp, className: 'num' },
            ]}
          />
          <p>
            McNemar&apos;s test ({m.method === 'exact' ? 'exact binomial' : 'chi-square, continuity corrected'}): only
            production right on {m.productionOnlyRight}, only the shadow right on {m.shadowOnlyRight}; p ={' '}
            {m.pValue.toPrecision(3)}.
          </p>
          <p role="status">
            {d.decided
              ? `Decided: the ${d.decided} model is right more often (${d.reason}).`
              : `Not decided yet: ${d.weeksNeeded === null ? 'no estimate' : `about ${d.weeksNeeded} more week(s) at the current labelling rate`} (${d.reason}).`}
          </p>
        </>
      )}
    </section>
  );
}

function BatchesPanel({ c }: { c: ShadowComparison }) {
  return (
    <section className="panel" aria-labelledby="shadow-batches">
      <h2 id="shadow-batches">Batches scored in shadow</h2>
      <SimpleTable
        label="Batches scored in shadow"
        scrollable
        rows={c.batches}
        rowKey={(b) => b.batchId}
        columns={[
          { header: 'Batch', cell: (b) => b.batchId, className: 'num' },
          { header: 'Scored on', cell: (b) => formatDateTime(b.predictionDate) },
          { header: 'Production', cell: (b) => b.productionVersion ?? '—' },
          { header: 'Shadow', cell: (b) => (b.status === 'scored' ? `${b.rowCount} rows` : 'failed') },
          { header: 'Problem', cell: (b) => b.error ?? '', className: 'wrap' },
        ]}
      />
    </section>
  );
}

/** The champion/challenger comparison of one shadow version. */
export function ShadowComparisonPanels({ comparison }: { comparison: ShadowComparison }) {
  return (
    <>
      <AgreementPanel c={comparison} />
      <DistributionPanel c={comparison} />
      <LabelledPanel c={comparison} />
      <BatchesPanel c={comparison} />
    </>
  );
}
