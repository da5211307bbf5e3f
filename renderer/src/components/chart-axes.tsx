import {
  CartesianGrid,
  Legend,
  Tooltip,
  type TooltipProps,
  XAxis,
  type XAxisProps,
  YAxis,
  type YAxisProps,
} from 'recharts';
import { CHART_COLORS } from './chart-figure';

/**
 * The grid, axes, tooltip and optional legend of a cartesian chart, drawn alike in every view; the series go beside
 * it in the chart. Recharts 3 reads these from context, so they may sit inside this component. Several y axes (each
 * with its yAxisId) go in as an array.
 */
export function ChartAxes({
  x,
  y,
  tooltip,
  legend = false,
}: {
  x?: XAxisProps;
  y?: YAxisProps | YAxisProps[];
  tooltip?: TooltipProps;
  legend?: boolean;
}) {
  const yAxes = Array.isArray(y) ? y : [y ?? {}];
  return (
    <>
      <CartesianGrid stroke={CHART_COLORS.grid} />
      <XAxis {...x} />
      {yAxes.map((props) => (
        <YAxis key={String(props.yAxisId ?? 0)} {...props} />
      ))}
      <Tooltip {...tooltip} />
      {legend && <Legend />}
    </>
  );
}

/** Tooltip values of charts plotted in percent (already multiplied by 100). */
export const PERCENT_TOOLTIP: TooltipProps = { formatter: (value) => `${Number(value).toFixed(1)} %` };
