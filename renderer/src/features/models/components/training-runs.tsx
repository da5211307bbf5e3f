import { memo, useCallback, useState } from 'react';
import { Scatter, ScatterChart } from 'recharts';
import { useApi } from '../../../app/api-context';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';
import '../models.css';

/** The experiment records: training runs, their tuning trials as a table and a chart of trial scores. */
export const TrainingRuns = memo(function TrainingRuns() {
  const api = useApi();
  const runs = useResult(useCallback(() => api.listTrainingRuns({}), [api]));
  const [runId, setRunId] = useState<number | null>(null);
  const list = runs.value ?? [];
  const run = list.find((r) => r.id === runId) ?? list[0] ?? null;
  const scored = run ? run.trials.filter((t) => t.value !== null) : [];

  return (
    <section className="panel" aria-labelledby="runs">
      <h2 id="runs">Training runs</h2>
      <ErrorBanner error={runs.error} />
      {list.length === 0 ? (
        <p className="muted">No training runs are recorded in this database (npm run train records them).</p>
      ) : (
        <>
          <SimpleTable
            label="Training runs"
            scrollable
            rows={list}
            rowKey={(r) => r.id}
            columns={[
              { header: 'Run', cell: (r) => r.id, className: 'num' },
              { header: 'Name', cell: (r) => r.name },
              { header: 'Kind', cell: (r) => r.kind },
              { header: 'Status', cell: (r) => r.status },
              { header: 'Started', cell: (r) => formatDateTime(r.startedAt) },
              { header: 'Trials', cell: (r) => r.trials.length, className: 'num' },
              {
                header: '',
                cell: (r) => (
                  <button type="button" aria-pressed={run?.id === r.id} onClick={() => setRunId(r.id)}>
                    Trials of run {r.id}
                  </button>
                ),
              },
            ]}
          />
          {run && (
            <>
              <ChartFigure
                title={`Run ${run.id}: trial scores`}
                summary={`${scored.length} scored trials; best ${Math.max(...scored.map((t) => t.value as number)).toFixed(4)}.`}
              >
                <ScatterChart>
                  <ChartAxes
                    x={{ type: 'number', dataKey: 'number', name: 'trial' }}
                    y={{ type: 'number', dataKey: 'value', name: 'score', domain: ['auto', 'auto'] }}
                  />
                  <Scatter data={scored} fill={CHART_COLORS.accent} isAnimationActive={false} />
                </ScatterChart>
              </ChartFigure>
              <SimpleTable
                label={`Trials of run ${run.id}`}
                scrollable
                scrollClassName="trials-scroll"
                rows={run.trials}
                rowKey={(t) => t.number}
                columns={[
                  { header: 'Trial', cell: (t) => t.number, className: 'num' },
                  { header: 'State', cell: (t) => t.state },
                  { header: 'Score', cell: (t) => (t.value === null ? '—' : t.value.toFixed(4)), className: 'num' },
                  { header: 'Parameters', cell: (t) => JSON.stringify(t.params), className: 'params' },
                ]}
              />
            </>
          )}
        </>
      )}
    </section>
  );
});
