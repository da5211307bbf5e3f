import '../drift.css';
/** A sparkline-sized histogram (shares, so a small batch compares with the large reference); decorative. */
export function MiniHistogram({ counts, colour, max }: { counts: number[]; colour: string; max?: number }) {
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  const shares = counts.map((c) => c / total);
  const top = max ?? Math.max(...shares, 1e-9);
  const width = 120;
  const height = 32;
  const barWidth = width / Math.max(1, shares.length);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" className="mini-hist">
      {shares.map((s, i) => {
        const h = (s / top) * (height - 2);
        return (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: bins are positional and never reorder
            key={i}
            x={i * barWidth + 0.5}
            y={height - h}
            width={Math.max(1, barWidth - 1)}
            height={h}
            fill={colour}
          />
        );
      })}
    </svg>
  );
}

/** Largest share over both histograms, so the two mini charts of a row share one scale. */
export function sharedMax(a: number[], b: number[]): number {
  const share = (xs: number[]) => {
    const total = xs.reduce((x, y) => x + y, 0) || 1;
    return Math.max(...xs.map((x) => x / total), 1e-9);
  };
  return Math.max(share(a), share(b));
}
