import { useCallback } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../../app/api-context';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { ScrollRegion } from '../../../components/scroll-region';
import { useResult } from '../../../components/use-result';

function rules(byRule: Record<string, number>): string {
  const entries = Object.entries(byRule).filter(([, n]) => n > 0);
  return entries.length === 0 ? '—' : entries.map(([rule, n]) => `${rule}: ${n}`).join(', ');
}

/** Per batch: duration, throughput, rejected rows by rule, retries and peak memory, as a table and over time. */
export function SystemHealthView() {
  const api = useApi();
  const health = useResult(useCallback(() => api.systemHealth({}), [api]));
  const batches = health.value ?? [];
  const chronological = [...batches].reverse().map((b) => ({
    label: `#${b.batchId}`,
    'rows/s': b.rowsPerSecond === null ? null : Math.round(b.rowsPerSecond),
    'duration (ms)': b.durationMs === null ? null : Math.round(b.durationMs),
    'peak memory (MB)': b.peakRssMb === null ? null : Math.round(b.peakRssMb),
  }));

  return (
    <div className="stack">
      <h1>System health</h1>
      <ErrorBanner error={health.error} />
      {batches.length === 0 && !health.loading && <p className="panel">No batches have been processed yet.</p>}
      {batches.length > 0 && (
        <>
          <section className="panel" aria-labelledby="health-chart">
            <h2 id="health-chart">Over time</h2>
            <div className="two-columns">
              <ChartFigure
                title="Throughput and duration per batch"
                summary={batches
                  .map(
                    (b) =>
                      `batch ${b.batchId}: ${b.durationMs === null ? '—' : Math.round(b.durationMs)} ms, ${b.rowsPerSecond === null ? '—' : Math.round(b.rowsPerSecond)} rows/s`,
                  )
                  .join('; ')}
              >
                <ResponsiveContainer>
                  <LineChart data={chronological}>
                    <CartesianGrid stroke={CHART_COLORS.grid} />
                    <XAxis dataKey="label" />
                    <YAxis yAxisId="rate" />
                    <YAxis yAxisId="ms" orientation="right" />
                    <Tooltip />
                    <Legend />
                    <Line yAxisId="rate" dataKey="rows/s" stroke={CHART_COLORS.accent} isAnimationActive={false} />
                    <Line
                      yAxisId="ms"
                      dataKey="duration (ms)"
                      stroke={CHART_COLORS.second}
                      strokeDasharray="5 3"
                      isAnimationActive={false}
                    />
                  </LineChart>
                </ResponsiveContainer>
              </ChartFigure>
              <ChartFigure
                title="Peak memory per batch"
                summary={batches
                  .map((b) => `batch ${b.batchId}: ${b.peakRssMb === null ? '—' : Math.round(b.peakRssMb)} MB`)
                  .join('; ')}
              >
                <ResponsiveContainer>
                  <LineChart data={chronological}>
                    <CartesianGrid stroke={CHART_COLORS.grid} />
                    <XAxis dataKey="label" />
                    <YAxis unit=" MB" />
                    <Tooltip />
                    <Line dataKey="peak memory (MB)" stroke={CHART_COLORS.third} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </ChartFigure>
            </div>
          </section>
          <section className="panel" aria-labelledby="health-table">
            <h2 id="health-table">Batches</h2>
            <ScrollRegion label="Batch processing (scrollable)">
              <table className="data-table" aria-label="Batch processing">
                <thead>
                  <tr>
                    {[
                      'Batch',
                      'File',
                      'Source',
                      'Status',
                      'Started',
                      'Rows',
                      'Duration',
                      'Rows/s',
                      'Rejected by rule',
                      'Retries',
                      'Peak memory',
                      'CPU (user + system)',
                    ].map((h) => (
                      <th key={h} scope="col">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {batches.map((b) => (
                    <tr key={b.batchId}>
                      <td className="num">{b.batchId}</td>
                      <td>{b.fileName}</td>
                      <td>{b.source}</td>
                      <td>{b.status}</td>
                      <td>{formatDateTime(b.startedAt)}</td>
                      <td className="num">{b.rows}</td>
                      <td className="num">{b.durationMs === null ? '—' : `${Math.round(b.durationMs)} ms`}</td>
                      <td className="num">{b.rowsPerSecond === null ? '—' : Math.round(b.rowsPerSecond)}</td>
                      <td>{rules(b.rejectedByRule)}</td>
                      <td className="num">{b.retryAttempts}</td>
                      <td className="num">{b.peakRssMb === null ? '—' : `${b.peakRssMb.toFixed(0)} MB`}</td>
                      <td className="num">
                        {b.cpuUserMs === null ? '—' : `${Math.round(b.cpuUserMs + (b.cpuSystemMs ?? 0))} ms`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </section>
        </>
      )}
    </div>
  );
}
