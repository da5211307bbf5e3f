import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';
import './chart-figure.css';

/**
 * A chart with a visible caption and a text summary for screen readers (the numbers are also in the summary or a
 * table beside it). Recharts' own accessibility layer keeps the chart keyboard-reachable for its tooltip. The chart
 * (a recharts chart element) fills the body through a ResponsiveContainer.
 */
export function ChartFigure({
  title,
  summary,
  children,
  height = 240,
}: {
  title: string;
  summary: string;
  children: ReactElement;
  height?: number;
}) {
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-body" style={{ height }}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
      <p className="visually-hidden">{summary}</p>
    </figure>
  );
}

/** Colours with WCAG AA contrast on white; series are also told apart by legend text and dash patterns. */
export const CHART_COLORS = {
  accent: '#0b6468',
  second: '#8a4b08',
  third: '#5b3c99',
  fourth: '#1a5fb4',
  negative: '#1b5e33',
  positive: '#8a1616',
  reference: '#4f5d6b',
  grid: '#d4dbe2',
} as const;

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)} %`;
}

export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}
