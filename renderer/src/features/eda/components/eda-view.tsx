import type { EdaResult } from '@contract/admin-outputs';
import type { EdaReport } from '@contract/eda-types';
import type { ApiError } from '@contract/result';
import { useCallback, useState } from 'react';
import { Bar, BarChart } from 'recharts';
import { useApi } from '../../../app/api-context';
import { ChartAxes, PERCENT_TOOLTIP } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, fixed, percent } from '../../../components/chart-figure';
import { CsvFileInput } from '../../../components/csv-file-input';
import { ErrorBanner } from '../../../components/error-banner';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';
import { CorrelationHeatmap } from './correlation-heatmap';

/** Feature names along the x axis: every one shown, slanted so that they fit. */
const FEATURE_AXIS = { dataKey: 'feature', interval: 0, angle: -30, textAnchor: 'end', height: 70 } as const;

/** The reference design's nine EDA sections, of the training data or of a CSV the admin loads. */
export function EdaView() {
  const api = useApi();
  const training = useResult(useCallback(() => api.edaReport({ source: 'training' }), [api]));
  const [loaded, setLoaded] = useState<EdaResult | null>(null);
  const [fileError, setFileError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = loaded ?? training.value;

  return (
    <div className="stack">
      <div className="heading-row">
        <h1>Exploratory data analysis</h1>
        {shown && (
          <p className="muted" role="status">
            Showing: {shown.source === 'training' ? 'the training data' : shown.name} ({shown.report.rowCount} rows
            {shown.rejectedRows > 0 ? `, ${shown.rejectedRows} rejected rows left out` : ''})
          </p>
        )}
      </div>
      <div className="panel row-actions">
        <CsvFileInput
          label="Analyse another CSV (batch format)"
          disabled={busy}
          onFile={async (file) => {
            setBusy(true);
            const result = await api.edaReport({ source: 'file', ...file });
            setBusy(false);
            if (result.ok) {
              setLoaded(result.value);
              setFileError(null);
            } else setFileError(result.error);
          }}
        />
        {loaded && (
          <button type="button" onClick={() => setLoaded(null)}>
            Back to the training data
          </button>
        )}
        {busy && <span role="status">Analysing …</span>}
      </div>
      <ErrorBanner error={fileError ?? training.error} />
      {shown && <EdaSections report={shown.report} />}
    </div>
  );
}

function EdaSections({ report }: { report: EdaReport }) {
  const features = report.distributions.features.map((f) => f.feature);
  const [feature, setFeature] = useState(features[1] ?? features[0]);
  const distribution = report.distributions.features.find((f) => f.feature === feature);
  const comparison = report.featureVsOutcome.features?.find((f) => f.feature === feature) ?? null;
  const balance = report.overview.classBalance;

  return (
    <>
      <section className="panel" aria-labelledby="eda-overview">
        <h2 id="eda-overview">1. Overview</h2>
        <dl className="stats">
          <div>
            <dt>Rows</dt>
            <dd>{report.overview.rowCount}</dd>
          </div>
          <div>
            <dt>Features</dt>
            <dd>{report.overview.featureCount}</dd>
          </div>
          <div>
            <dt>Diabetic (Outcome 1)</dt>
            <dd>{balance ? `${balance.positives} (${percent(balance.positiveShare)})` : 'no outcome'}</dd>
          </div>
          <div>
            <dt>Non-diabetic</dt>
            <dd>{balance ? balance.negatives : '—'}</dd>
          </div>
        </dl>
        {balance && (
          <ChartFigure
            title="Class balance"
            summary={`${balance.negatives} non-diabetic, ${balance.positives} diabetic.`}
            height={160}
          >
            <BarChart
              layout="vertical"
              data={[
                { name: 'Non-diabetic', rows: balance.negatives },
                { name: 'Diabetic', rows: balance.positives },
              ]}
            >
              <ChartAxes x={{ type: 'number' }} y={{ type: 'category', dataKey: 'name', width: 100 }} />
              <Bar dataKey="rows" fill={CHART_COLORS.accent} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
        )}
      </section>

      <section className="panel" aria-labelledby="eda-missing">
        <h2 id="eda-missing">2. Missing data (zeros as missing)</h2>
        <div className="two-columns">
          <ChartFigure
            title="Share of values counted as missing"
            summary={report.missingData.features.map((f) => `${f.feature} ${percent(f.missingShare)}`).join(', ')}
          >
            <BarChart data={report.missingData.features.map((f) => ({ ...f, percent: f.missingShare * 100 }))}>
              <ChartAxes x={FEATURE_AXIS} y={{ unit: ' %' }} tooltip={PERCENT_TOOLTIP} />
              <Bar dataKey="percent" name="missing" fill={CHART_COLORS.second} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
          <SimpleTable
            label="Missing values per feature"
            rows={report.missingData.features}
            rowKey={(f) => f.feature}
            columns={[
              { header: 'Feature', cell: (f) => f.feature },
              { header: 'Zeros', cell: (f) => f.zeroCount, className: 'num' },
              { header: 'Missing', cell: (f) => percent(f.missingShare), className: 'num' },
              {
                header: 'Treatment',
                cell: (f) =>
                  f.zeroPolicy === 'missing-imputed'
                    ? 'imputed (median)'
                    : f.zeroPolicy === 'missing-kept'
                      ? 'kept as 0'
                      : 'valid value',
              },
            ]}
          />
        </div>
        <p className="muted">
          {report.missingData.rowsWithAnyMissing} rows ({percent(report.missingData.rowsWithAnyMissingShare)}) have at
          least one missing value. {report.missingData.insulinNote}
        </p>
      </section>

      <section className="panel" aria-labelledby="eda-distributions">
        <div className="heading-row">
          <h2 id="eda-distributions">3. Distributions and skewness</h2>
          <label>
            Feature{' '}
            <select value={feature} onChange={(e) => setFeature(e.target.value as typeof feature)}>
              {features.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
        </div>
        <div className="two-columns">
          {distribution && (
            <ChartFigure
              title={`${feature}: histogram${distribution.zerosExcluded ? ' (zeros left out as missing)' : ''}`}
              summary={`${feature}: mean ${fixed(distribution.stats.mean, 1)}, median ${fixed(distribution.stats.median, 1)}, skewness ${fixed(distribution.stats.skewness, 2)}.`}
            >
              <BarChart data={distribution.bins.map((b) => ({ bin: b.x0, count: b.count }))} barCategoryGap={1}>
                <ChartAxes x={{ dataKey: 'bin', tickFormatter: binTick }} />
                <Bar dataKey="count" fill={CHART_COLORS.accent} isAnimationActive={false} />
              </BarChart>
            </ChartFigure>
          )}
          <ChartFigure
            title="Skewness per feature"
            summary={report.distributions.features.map((f) => `${f.feature} ${fixed(f.stats.skewness, 2)}`).join(', ')}
          >
            <BarChart
              data={report.distributions.features.map((f) => ({ feature: f.feature, skewness: f.stats.skewness }))}
            >
              <ChartAxes x={FEATURE_AXIS} />
              <Bar dataKey="skewness" fill={CHART_COLORS.third} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
        </div>
        <SimpleTable
          label="Summary statistics"
          scrollable
          rows={report.distributions.features}
          rowKey={(f) => f.feature}
          columns={[
            { header: 'Feature', cell: (f) => f.feature },
            { header: 'n', cell: (f) => f.stats.n, className: 'num' },
            { header: 'Mean', cell: (f) => fixed(f.stats.mean, 2), className: 'num' },
            { header: 'Std', cell: (f) => fixed(f.stats.std, 2), className: 'num' },
            { header: 'Min', cell: (f) => fixed(f.stats.min, 2), className: 'num' },
            { header: 'Median', cell: (f) => fixed(f.stats.median, 2), className: 'num' },
            { header: 'Max', cell: (f) => fixed(f.stats.max, 2), className: 'num' },
            { header: 'Skewness', cell: (f) => fixed(f.stats.skewness, 2), className: 'num' },
          ]}
        />
      </section>

      <section className="panel" aria-labelledby="eda-outcome">
        <h2 id="eda-outcome">4. Each feature against the outcome</h2>
        {report.featureVsOutcome.features ? (
          <div className="two-columns">
            {comparison && (
              <ChartFigure
                title={`${feature}: share of each class per bin`}
                summary={`${feature}: diabetic mean ${fixed(comparison.positive.mean, 1)}, non-diabetic mean ${fixed(comparison.negative.mean, 1)}, Cohen's d ${fixed(comparison.cohensD, 2)}.`}
              >
                <BarChart
                  data={comparison.bins.map((b) => ({
                    bin: b.x0,
                    'Non-diabetic': b.negativeShare * 100,
                    Diabetic: b.positiveShare * 100,
                  }))}
                >
                  <ChartAxes
                    x={{ dataKey: 'bin', tickFormatter: binTick }}
                    y={{ unit: ' %' }}
                    tooltip={PERCENT_TOOLTIP}
                    legend
                  />
                  <Bar dataKey="Non-diabetic" fill={CHART_COLORS.negative} isAnimationActive={false} />
                  <Bar dataKey="Diabetic" fill={CHART_COLORS.positive} isAnimationActive={false} />
                </BarChart>
              </ChartFigure>
            )}
            <SimpleTable
              label="Effect sizes"
              rows={report.featureVsOutcome.features}
              rowKey={(f) => f.feature}
              columns={[
                { header: 'Rank', cell: (f) => f.rank, className: 'num' },
                { header: 'Feature', cell: (f) => f.feature },
                { header: "Cohen's d", cell: (f) => fixed(f.cohensD, 2), className: 'num' },
                {
                  header: 'Mean difference',
                  cell: (f) => (f.meanDifferencePercent === null ? '—' : `${f.meanDifferencePercent.toFixed(1)} %`),
                  className: 'num',
                },
                {
                  header: 'Mann-Whitney p',
                  cell: (f) => (f.mannWhitney ? f.mannWhitney.pValue.toExponential(2) : '—'),
                  className: 'num',
                },
              ]}
            />
          </div>
        ) : (
          <p className="muted">{report.featureVsOutcome.note}</p>
        )}
      </section>

      <section className="panel" aria-labelledby="eda-correlation">
        <h2 id="eda-correlation">5. Correlation heatmap</h2>
        <CorrelationHeatmap section={report.correlation} />
        <p className="muted">
          {report.correlation.strongestFeaturePair
            ? `Strongest feature pair: ${report.correlation.strongestFeaturePair.a} and ${report.correlation.strongestFeaturePair.b} (r = ${report.correlation.strongestFeaturePair.r.toFixed(2)}). `
            : ''}
          {report.correlation.severeMulticollinearity
            ? `Severe multicollinearity (|r| > ${report.correlation.threshold}).`
            : `No pair above |r| = ${report.correlation.threshold}: no severe multicollinearity.`}
        </p>
      </section>

      <section className="panel" aria-labelledby="eda-thresholds">
        <h2 id="eda-thresholds">6. Clinical thresholds</h2>
        <div className="two-columns">
          {report.clinicalThresholds.thresholds.map((t) => (
            <ChartFigure
              key={t.feature}
              title={`${t.title}: ${report.hasOutcome ? 'diabetes rate' : 'patients'} per band`}
              summary={t.bands
                .map(
                  (b) =>
                    `${b.label}: ${b.count} patients${b.positiveRate === null ? '' : `, ${percent(b.positiveRate)} diabetic`}`,
                )
                .join('; ')}
            >
              <BarChart
                data={t.bands.map((b) => ({
                  band: b.label,
                  value: report.hasOutcome ? (b.positiveRate ?? 0) * 100 : b.count,
                }))}
              >
                <ChartAxes
                  x={{ dataKey: 'band', interval: 0, fontSize: 10, angle: -20, textAnchor: 'end', height: 70 }}
                  y={{ unit: report.hasOutcome ? ' %' : '' }}
                />
                <Bar
                  dataKey="value"
                  name={report.hasOutcome ? 'diabetes rate' : 'patients'}
                  fill={CHART_COLORS.fourth}
                  isAnimationActive={false}
                />
              </BarChart>
            </ChartFigure>
          ))}
        </div>
      </section>

      <section className="panel" aria-labelledby="eda-subgroups">
        <h2 id="eda-subgroups">7. Subgroup rates</h2>
        <div className="two-columns">
          {report.subgroups.variables.map((v) => (
            <ChartFigure
              key={v.variable}
              title={`${v.variable === 'Age_Group' ? 'Age groups' : 'BMI categories'}: ${report.hasOutcome ? 'diabetes rate' : 'share of patients'}`}
              summary={v.groups
                .map(
                  (g) =>
                    `${g.label}: ${g.count} patients${g.positiveRate === null ? '' : `, ${percent(g.positiveRate)} diabetic`}${g.small ? ' (small group)' : ''}`,
                )
                .join('; ')}
            >
              <BarChart
                data={v.groups.map((g) => ({
                  group: g.small ? `${g.label}*` : g.label,
                  value: ((report.hasOutcome ? g.positiveRate : g.share) ?? 0) * 100,
                }))}
              >
                <ChartAxes
                  x={{ dataKey: 'group', interval: 0, fontSize: 11 }}
                  y={{ unit: ' %' }}
                  tooltip={PERCENT_TOOLTIP}
                />
                <Bar dataKey="value" fill={CHART_COLORS.accent} isAnimationActive={false} />
              </BarChart>
            </ChartFigure>
          ))}
        </div>
        <p className="muted">* fewer than {report.subgroups.smallGroupMin} patients: the rate is not reliable.</p>
      </section>

      <section className="panel" aria-labelledby="eda-outliers">
        <h2 id="eda-outliers">8. Outliers (|z| &gt; {report.outliers.zThreshold})</h2>
        <ChartFigure
          title="Outlying values per feature"
          summary={report.outliers.features.map((f) => `${f.feature} ${f.count}`).join(', ')}
          height={200}
        >
          <BarChart data={report.outliers.features.map((f) => ({ feature: f.feature, low: f.low, high: f.high }))}>
            <ChartAxes x={FEATURE_AXIS} y={{ allowDecimals: false }} legend />
            <Bar dataKey="low" stackId="o" fill={CHART_COLORS.fourth} isAnimationActive={false} />
            <Bar dataKey="high" stackId="o" fill={CHART_COLORS.positive} isAnimationActive={false} />
          </BarChart>
        </ChartFigure>
        <p className="muted">
          {report.outliers.totalFlaggedValues} values in {report.outliers.rowsWithAnyOutlier} rows are flagged.
        </p>
      </section>

      <section className="panel" aria-labelledby="eda-findings">
        <h2 id="eda-findings">9. Key findings</h2>
        <ul className="findings">
          {report.keyFindings.map((f) => (
            <li key={`${f.topic}-${f.text}`}>{f.text}</li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** Bin edges as short ticks: two decimals for small values (DiabetesPedigreeFunction), whole numbers otherwise. */
function binTick(value: number): string {
  return Number.isInteger(value) ? String(value) : Math.abs(value) < 10 ? value.toFixed(2) : value.toFixed(0);
}
