import type { ModelImportance } from '@contract/admin-outputs';
import type { ApiError } from '@contract/result';
import { memo, useEffect, useState } from 'react';
import { Bar, BarChart } from 'recharts';
import { useApi } from '../../../app/api-context';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';
import { ErrorBanner } from '../../../components/error-banner';
import { ShapSummary } from './shap-summary';

/**
 * Mean |SHAP| per clinical input of one version over the training data (global explanation). Memoised: its SHAP
 * summary draws thousands of points, and the Models view re-renders on every step of its dialogs.
 */
export const FeatureImportance = memo(function FeatureImportance({ modelId }: { modelId: string }) {
  const api = useApi();
  const [value, setValue] = useState<ModelImportance | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setValue(null);
    void (async () => {
      const result = await api.modelImportance({ modelId });
      if (result.ok) {
        setValue(result.value);
        setError(null);
      } else setError(result.error);
    })();
  }, [api, modelId]);

  if (error) return <ErrorBanner error={error} />;
  if (!value) return <p role="status">Computing feature importance …</p>;
  return (
    <>
      <ChartFigure
        title={`Feature importance of ${value.version}: mean |SHAP| (log-odds) over ${value.rows} training rows`}
        summary={value.clinical.map((f) => `${f.rank}. ${f.feature} ${f.meanAbsShap.toFixed(3)}`).join('; ')}
        height={260}
      >
        <BarChart layout="vertical" data={value.clinical} margin={{ left: 8, right: 16 }}>
          <ChartAxes
            x={{ type: 'number' }}
            y={{ type: 'category', dataKey: 'feature', width: 190, interval: 0 }}
            tooltip={{ formatter: (v) => Number(v).toFixed(4) }}
          />
          <Bar dataKey="meanAbsShap" name="mean |SHAP|" fill={CHART_COLORS.accent} isAnimationActive={false} />
        </BarChart>
      </ChartFigure>
      <ShapSummary importance={value} />
    </>
  );
});
