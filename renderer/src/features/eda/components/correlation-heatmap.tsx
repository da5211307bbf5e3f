import type { CorrelationSection } from '@contract/eda-types';
import { ScrollRegion } from '../../../components/scroll-region';

/** Diverging blue (negative) to red (positive); the value is printed in each cell, so colour is never the only cue. */
function cellColour(r: number | null): { background: string; color: string } {
  if (r === null) return { background: '#f4f6f8', color: '#1d2733' };
  const t = Math.min(1, Math.abs(r));
  const [h, s] = r >= 0 ? [0, 70] : [212, 70];
  // Lightness never below 65 %, so the dark text keeps a 4.5:1 contrast on every cell.
  const l = 97 - t * 32;
  return { background: `hsl(${h} ${s}% ${l}%)`, color: '#1d2733' };
}

/** The Pearson matrix as a grid (a table: rows and columns are features), drawn as a heatmap. */
export function CorrelationHeatmap({ section }: { section: CorrelationSection }) {
  return (
    <ScrollRegion label="Pearson correlation between features (scrollable)">
      <table className="heatmap" aria-label="Pearson correlation between features">
        <thead>
          <tr>
            <td />
            {section.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {section.columns.map((row, i) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {section.matrix[i].map((r, j) => (
                <td key={section.columns[j]} style={cellColour(r)}>
                  {r === null ? '—' : r.toFixed(2)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
