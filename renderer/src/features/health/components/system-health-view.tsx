import { useCallback } from 'react';
import { Line, LineChart } from 'recharts';
import { useApi } from '../../../app/api-context';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';

const MEMORY_SERIES = 'batch peak memory above its start (MB)';

/** Batches stored before the app measured each batch's own memory have none. */
function megabytes(mb: number | null): string {
  return mb === null ? 'not measured' : `${mb.toFixed(0)} MB`;
}

function rules(byRule: Record<string, number>): string {
  const entries = Object.entries(byRule).filter(([, n]) => n > 0);
  return entries.length === 0 ? '—' : entries.map(([rule, n]) => `${rule}: ${n}`).join(', ');
}

/**
 * Per batch: duration, throughput, rejected rows by rule, retries and the batch's own peak memory (the resident
 * set's high-water mark during the batch above its level at the start; the OS's peak is one per process, the same
 * for every batch after a large one), as a table and over time.
 */
export function SystemHealthView() {
  const api = useApi();
  const health = useResult(useCallback(() => api.systemHealth({}), [api]));
  const batches = health.value ?? [];
  const chronological = [...batches].reverse().map((b) => ({
    label: `#${b.batchId}`,
    'rows/s': b.rowsPerSecond === null ? null : Math.round(b.rowsPerSecond),
    'duration (ms)': b.durationMs === null ? null : Math.round(b.durationMs),
    [MEMORY_SERIES]: b.batchMemoryMb === null ? null : Math.round(b.batchMemoryMb),
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
                <LineChart data={chronological}>
                  <ChartAxes
                    x={{ dataKey: 'label' }}
                    y={[{ yAxisId: 'rate' }, { yAxisId: 'ms', orientation: 'right' }]}
                    legend
                  />
                  <Line yAxisId="rate" dataKey="rows/s" stroke={CHART_COLORS.accent} isAnimationActive={false} />
                  <Line
                    yAxisId="ms"
                    dataKey="duration (ms)"
                    stroke={CHART_COLORS.second}
                    strokeDasharray="5 3"
                    isAnimationActive={false}
                  />
                </LineChart>
              </ChartFigure>
              <ChartFigure
                title="Peak memory of each batch, above the memory in use when it started"
                summary={batches.map((b) => `batch ${b.batchId}: ${megabytes(b.batchMemoryMb)}`).join('; ')}
              >
                <LineChart data={chronological}>
                  <ChartAxes x={{ dataKey: 'label' }} y={{ unit: ' MB' }} />
                  <Line dataKey={MEMORY_SERIES} stroke={CHART_COLORS.third} isAnimationActive={false} />
                </LineChart>
              </ChartFigure>
            </div>
          </section>
          <section className="panel" aria-labelledby="health-table">
            <h2 id="health-table">Batches</h2>
            <SimpleTable
              label="Batch processing"
              scrollable
              rows={batches}
              rowKey={(b) => b.batchId}
              columns={[
                { header: 'Batch', cell: (b) => b.batchId, className: 'num' },
                { header: 'File', cell: (b) => b.fileName },
                { header: 'Source', cell: (b) => b.source },
                { header: 'Status', cell: (b) => b.status },
                { header: 'Started', cell: (b) => formatDateTime(b.startedAt) },
                { header: 'Rows', cell: (b) => b.rows, className: 'num' },
                {
                  header: 'Duration',
                  cell: (b) => (b.durationMs === null ? '—' : `${Math.round(b.durationMs)} ms`),
                  className: 'num',
                },
                {
                  header: 'Rows/s',
                  cell: (b) => (b.rowsPerSecond === null ? '—' : Math.round(b.rowsPerSecond)),
                  className: 'num',
                },
                { header: 'Rejected by rule', cell: (b) => rules(b.rejectedByRule) },
                { header: 'Retries', cell: (b) => b.retryAttempts, className: 'num' },
                {
                  header: 'Peak memory (resident, above the batch’s start)',
                  cell: (b) => megabytes(b.batchMemoryMb),
                  className: 'num',
                },
                {
                  header: 'CPU (user + system)',
                  cell: (b) => (b.cpuUserMs === null ? '—' : `${Math.round(b.cpuUserMs + (b.cpuSystemMs ?? 0))} ms`),
                  className: 'num',
                },
              ]}
            />
          </section>
        </>
      )}
    </div>
  );
}
