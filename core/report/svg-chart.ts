/**
 * Small inline SVG charts for the printable report: no script, no external file, so the report stays one
 * self-contained HTML file that prints as it shows.
 */

export interface ChartSeries {
  name: string;
  colour: string;
  /** One value per x label; null leaves a gap. */
  values: (number | null)[];
}

interface LineChartOptions {
  title: string;
  labels: string[];
  series: ChartSeries[];
  yMin: number;
  yMax: number;
  /** Horizontal reference lines, e.g. the recall target. */
  lines?: { value: number; label: string }[];
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 44, right: 12, top: 24, bottom: 42 };

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function lineChart(options: LineChartOptions): string {
  const { labels, yMin, yMax } = options;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
  const y = (v: number) => PAD.top + plotH - ((Math.min(yMax, Math.max(yMin, v)) - yMin) / (yMax - yMin)) * plotH;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const v = yMin + tick * (yMax - yMin);
    parts.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="10">${formatTick(v)}</text>`,
    );
  }
  for (const line of options.lines ?? []) {
    parts.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(line.value)}" y2="${y(line.value)}" stroke="#b42318" stroke-dasharray="4 3"/>`,
      `<text x="${WIDTH - PAD.right}" y="${y(line.value) - 4}" text-anchor="end" font-size="10" fill="#b42318">${escapeHtml(line.label)}</text>`,
    );
  }
  const step = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((label, i) => {
    if (i % step === 0)
      parts.push(
        `<text x="${x(i)}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle" font-size="10">${escapeHtml(label)}</text>`,
      );
  });
  options.series.forEach((s, k) => {
    const segments: string[][] = [[]];
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) segments.push([]);
      else segments[segments.length - 1].push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    });
    for (const points of segments) {
      if (points.length > 1)
        parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${points.join(' ')}"/>`);
      for (const p of points) {
        const [px, py] = p.split(',');
        parts.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${s.colour}"/>`);
      }
    }
    parts.push(
      `<rect x="${PAD.left + k * 110}" y="${HEIGHT - 14}" width="10" height="10" fill="${s.colour}"/>`,
      `<text x="${PAD.left + k * 110 + 14}" y="${HEIGHT - 5}" font-size="11">${escapeHtml(s.name)}</text>`,
    );
  });
  return (
    `<figure><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" ` +
    `aria-label="${escapeHtml(options.title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<text x="${PAD.left}" y="14" font-size="12" font-weight="bold">${escapeHtml(options.title)}</text>` +
    `${parts.join('')}</svg></figure>`
  );
}

function formatTick(v: number): string {
  return Math.abs(v) >= 10 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(2);
}
