import type { MonitoringSummary } from '@contract/admin-outputs';
import { AgeGroupRecall } from './age-group-recall';
import { RecallPanels } from './recall-panels';
import { WeeklyPerformance } from './weekly-performance';

/** Realised performance per ISO week and model, missed diabetics, estimated recall, and recall by age group. */
export function WeeklyCharts({ data }: { data: MonitoringSummary }) {
  if (data.weeks.length === 0) {
    return (
      <p className="panel">
        No labelled predictions yet ({data.labelCount} labels stored). Import labels to see realised performance.
      </p>
    );
  }
  const weeks = [...new Set(data.weeks.map((w) => w.week))].sort();
  return (
    <>
      <WeeklyPerformance data={data} weeks={weeks} />
      <RecallPanels data={data} weeks={weeks} />
      <AgeGroupRecall data={data} />
    </>
  );
}
