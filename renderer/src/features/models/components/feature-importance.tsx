import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ModelImportance } from '../../../../../core/api/admin-outputs';
import type { ApiError } from '../../../../../core/api/result';
import { useApi } from '../../../app/api-context';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';
import { ErrorBanner } from '../../../components/error-banner';
import { ShapSummary } from './shap-summary';

/** Mean |SHAP| per clinical input of one version over the training data (global explanation). */
export function FeatureImportance({ modelId }: { modelId: string }) {
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
        <ResponsiveContainer>
          <BarChart layout="vertical" data={value.clinical} margin={{ left: 8, right: 16 }}>
            <CartesianGrid stroke={CHART_COLORS.grid} />
            <XAxis type="number" />
            <YAxis type="category" dataKey="feature" width={190} interval={0} />
            <Tooltip formatter={(v) => Number(v).toFixed(4)} />
            <Bar dataKey="meanAbsShap" name="mean |SHAP|" fill={CHART_COLORS.accent} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ShapSummary importance={value} />
    </>
  );
}
