import { useCallback, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EdaResult } from '../../../../../core/api/admin-outputs';
import type { EdaReport } from '../../../../../core/api/eda-types';
import type { ApiError } from '../../../../../core/api/result';
import { useApi } from '../../../app/api-context';
import { CHART_COLORS, ChartFigure, fixed, percent } from '../../../components/chart-figure';
import { CsvFileInput } from '../../../components/csv-file-input';
import { ErrorBanner } from '../../../components/error-banner';
import { ScrollRegion } from '../../../components/scroll-region';
import { useResult } from '../../../components/use-result';
import { CorrelationHeatmap } from './correlation-heatmap';

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
            <ResponsiveContainer>
              <BarChart
                layout="vertical"
                data={[
                  { name: 'Non-diabetic', rows: balance.negatives },
                  { name: 'Diabetic', rows: balance.positives },
                ]}
              >
                <CartesianGrid stroke={CHART_COLORS.grid} />
                <XAxis type="number" />
                <YAxis type="category" dataKey="name" width={100} />
                <Tooltip />
                <Bar dataKey="rows" fill={CHART_COLORS.accent} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
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
            <ResponsiveContainer>
              <BarChart data={report.missingData.features.map((f) => ({ ...f, percent: f.missingShare * 100 }))}>
                <CartesianGrid stroke={CHART_COLORS.grid} />
                <XAxis dataKey="feature" interval={0} angle={-30} textAnchor="end" height={70} />
                <YAxis unit=" %" />
                <Tooltip formatter={(v) => `${Number(v).toFixed(1)} %`} />
                <Bar dataKey="percent" name="missing" fill={CHART_COLORS.second} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
          <table className="data-table" aria-label="Missing values per feature">
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col">Zeros</th>
                <th scope="col">Missing</th>
                <th scope="col">Treatment</th>
              </tr>
            </thead>
            <tbody>
              {report.missingData.features.map((f) => (
                <tr key={f.feature}>
                  <td>{f.feature}</td>
                  <td className="num">{f.zeroCount}</td>
                  <td className="num">{percent(f.missingShare)}</td>
                  <td>
                    {f.zeroPolicy === 'missing-imputed'
                      ? 'imputed (median)'
                      : f.zeroPolicy === 'missing-kept'
                        ? 'kept as 0'
                        : 'valid value'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
              <ResponsiveContainer>
                <BarChart data={distribution.bins.map((b) => ({ bin: b.x0, count: b.count }))} barCategoryGap={1}>
                  <CartesianGrid stroke={CHART_COLORS.grid} />
                  <XAxis dataKey="bin" tickFormatter={binTick} />
                  <YAxis />
                  <Tooltip />
                  <Bar dataKey="count" fill={CHART_COLORS.accent} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </ChartFigure>
          )}
          <ChartFigure
            title="Skewness per feature"
            summary={report.distributions.features.map((f) => `${f.feature} ${fixed(f.stats.skewness, 2)}`).join(', ')}
          >
            <ResponsiveContainer>
              <BarChart
                data={report.distributions.features.map((f) => ({ feature: f.feature, skewness: f.stats.skewness }))}
              >
                <CartesianGrid stroke={CHART_COLORS.grid} />
                <XAxis dataKey="feature" interval={0} angle={-30} textAnchor="end" height={70} />
                <YAxis />
                <Tooltip />
                <Bar dataKey="skewness" fill={CHART_COLORS.third} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
        </div>
        <ScrollRegion label="Summary statistics (scrollable)">
          <table className="data-table" aria-label="Summary statistics">
            <thead>
              <tr>
                {['Feature', 'n', 'Mean', 'Std', 'Min', 'Median', 'Max', 'Skewness'].map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.distributions.features.map((f) => (
                <tr key={f.feature}>
                  <td>{f.feature}</td>
                  <td className="num">{f.stats.n}</td>
                  <td className="num">{fixed(f.stats.mean, 2)}</td>
                  <td className="num">{fixed(f.stats.std, 2)}</td>
                  <td className="num">{fixed(f.stats.min, 2)}</td>
                  <td className="num">{fixed(f.stats.median, 2)}</td>
                  <td className="num">{fixed(f.stats.max, 2)}</td>
                  <td className="num">{fixed(f.stats.skewness, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
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
                <ResponsiveContainer>
                  <BarChart
                    data={comparison.bins.map((b) => ({
                      bin: b.x0,
                      'Non-diabetic': b.negativeShare * 100,
                      Diabetic: b.positiveShare * 100,
                    }))}
                  >
                    <CartesianGrid stroke={CHART_COLORS.grid} />
                    <XAxis dataKey="bin" tickFormatter={binTick} />
                    <YAxis unit=" %" />
                    <Tooltip formatter={(v) => `${Number(v).toFixed(1)} %`} />
                    <Legend />
                    <Bar dataKey="Non-diabetic" fill={CHART_COLORS.negative} isAnimationActive={false} />
                    <Bar dataKey="Diabetic" fill={CHART_COLORS.positive} isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </ChartFigure>
            )}
            <table className="data-table" aria-label="Effect sizes">
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Feature</th>
                  <th scope="col">Cohen&apos;s d</th>
                  <th scope="col">Mean difference</th>
                  <th scope="col">Mann-Whitney p</th>
                </tr>
              </thead>
              <tbody>
                {report.featureVsOutcome.features.map((f) => (
                  <tr key={f.feature}>
                    <td className="num">{f.rank}</td>
                    <td>{f.feature}</td>
                    <td className="num">{fixed(f.cohensD, 2)}</td>
                    <td className="num">
                      {f.meanDifferencePercent === null ? '—' : `${f.meanDifferencePercent.toFixed(1)} %`}
                    </td>
                    <td className="num">{f.mannWhitney ? f.mannWhitney.pValue.toExponential(2) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
              <ResponsiveContainer>
                <BarChart
                  data={t.bands.map((b) => ({
                    band: b.label,
                    value: report.hasOutcome ? (b.positiveRate ?? 0) * 100 : b.count,
                  }))}
                >
                  <CartesianGrid stroke={CHART_COLORS.grid} />
                  <XAxis dataKey="band" interval={0} fontSize={10} angle={-20} textAnchor="end" height={70} />
                  <YAxis unit={report.hasOutcome ? ' %' : ''} />
                  <Tooltip />
                  <Bar
                    dataKey="value"
                    name={report.hasOutcome ? 'diabetes rate' : 'patients'}
                    fill={CHART_COLORS.fourth}
                    isAnimationActive={false}
                  />
                </BarChart>
              </ResponsiveContainer>
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
              <ResponsiveContainer>
                <BarChart
                  data={v.groups.map((g) => ({
                    group: g.small ? `${g.label}*` : g.label,
                    value: ((report.hasOutcome ? g.positiveRate : g.share) ?? 0) * 100,
                  }))}
                >
                  <CartesianGrid stroke={CHART_COLORS.grid} />
                  <XAxis dataKey="group" interval={0} fontSize={11} />
                  <YAxis unit=" %" />
                  <Tooltip formatter={(x) => `${Number(x).toFixed(1)} %`} />
                  <Bar dataKey="value" fill={CHART_COLORS.accent} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
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
          <ResponsiveContainer>
            <BarChart data={report.outliers.features.map((f) => ({ feature: f.feature, low: f.low, high: f.high }))}>
              <CartesianGrid stroke={CHART_COLORS.grid} />
              <XAxis dataKey="feature" interval={0} angle={-30} textAnchor="end" height={70} />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="low" stackId="o" fill={CHART_COLORS.fourth} isAnimationActive={false} />
              <Bar dataKey="high" stackId="o" fill={CHART_COLORS.positive} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
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
