import { useCallback, useState } from 'react';
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../../app/api-context';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { ScrollRegion } from '../../../components/scroll-region';
import { useResult } from '../../../components/use-result';

/** The experiment records: training runs, their tuning trials as a table and a chart of trial scores. */
export function TrainingRuns() {
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
          <ScrollRegion label="Training runs (scrollable)">
            <table className="data-table" aria-label="Training runs">
              <thead>
                <tr>
                  {['Run', 'Name', 'Kind', 'Status', 'Started', 'Trials', ''].map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.id}>
                    <td className="num">{r.id}</td>
                    <td>{r.name}</td>
                    <td>{r.kind}</td>
                    <td>{r.status}</td>
                    <td>{formatDateTime(r.startedAt)}</td>
                    <td className="num">{r.trials.length}</td>
                    <td>
                      <button type="button" aria-pressed={run?.id === r.id} onClick={() => setRunId(r.id)}>
                        Trials of run {r.id}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {run && (
            <>
              <ChartFigure
                title={`Run ${run.id}: trial scores`}
                summary={`${scored.length} scored trials; best ${Math.max(...scored.map((t) => t.value as number)).toFixed(4)}.`}
              >
                <ResponsiveContainer>
                  <ScatterChart>
                    <CartesianGrid stroke={CHART_COLORS.grid} />
                    <XAxis type="number" dataKey="number" name="trial" />
                    <YAxis type="number" dataKey="value" name="score" domain={['auto', 'auto']} />
                    <Tooltip />
                    <Scatter data={scored} fill={CHART_COLORS.accent} isAnimationActive={false} />
                  </ScatterChart>
                </ResponsiveContainer>
              </ChartFigure>
              <ScrollRegion label={`Trials of run ${run.id} (scrollable)`} className="trials-scroll">
                <table className="data-table" aria-label={`Trials of run ${run.id}`}>
                  <thead>
                    <tr>
                      <th scope="col">Trial</th>
                      <th scope="col">State</th>
                      <th scope="col">Score</th>
                      <th scope="col">Parameters</th>
                    </tr>
                  </thead>
                  <tbody>
                    {run.trials.map((t) => (
                      <tr key={t.number}>
                        <td className="num">{t.number}</td>
                        <td>{t.state}</td>
                        <td className="num">{t.value === null ? '—' : t.value.toFixed(4)}</td>
                        <td className="params">{JSON.stringify(t.params)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            </>
          )}
        </>
      )}
    </section>
  );
}
