import type { WorklistQueryInput } from '@contract/inputs';
import type { RiskCategory } from '@contract/outputs';
import { useEffect, useState } from 'react';
import '../../../components/field.css';

export const CATEGORIES: RiskCategory[] = ['High', 'Medium', 'Low'];

/** Search, risk and review filters, and the export and print actions above the worklist. */
export function WorklistToolbar({
  query,
  categoryCounts,
  onQueryChange,
  onToggleCategory,
  onExport,
  onPrint,
  exportLabel,
  exporting,
}: {
  query: WorklistQueryInput;
  categoryCounts: Record<RiskCategory, number> | null;
  onQueryChange: (query: WorklistQueryInput) => void;
  onToggleCategory: (category: RiskCategory) => void;
  /** Called with the search box as typed: a pending (debounced) edit must not be missed by the export. */
  onExport: (search: string) => void;
  onPrint: () => void;
  /** "Export 97 filtered of 500", or "Exporting…" while running (then disabled). */
  exportLabel: string;
  exporting: boolean;
}) {
  const [search, setSearch] = useState(query.search ?? '');

  // Debounced search: one query per pause in typing, not per key.
  useEffect(() => {
    if (search === (query.search ?? '')) return;
    const timer = setTimeout(() => onQueryChange({ ...query, search }), 250);
    return () => clearTimeout(timer);
  }, [search, query, onQueryChange]);

  return (
    <div className="toolbar" role="toolbar" aria-label="Worklist filters">
      <label className="search">
        Search patient ID
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. P0042" />
      </label>
      <fieldset className="chips">
        <legend>Risk</legend>
        {CATEGORIES.map((category) => (
          <label key={category} className={`chip chip-${category.toLowerCase()}`}>
            <input
              type="checkbox"
              checked={(query.categories ?? []).includes(category)}
              onChange={() => onToggleCategory(category)}
            />
            {category} {categoryCounts ? `(${categoryCounts[category]})` : ''}
          </label>
        ))}
      </fieldset>
      <label className="chip">
        <input
          type="checkbox"
          checked={query.recommendedOnly ?? false}
          onChange={(e) => onQueryChange({ ...query, recommendedOnly: e.target.checked })}
        />
        Recommended for screening only
      </label>
      <label className="chip">
        <input
          type="checkbox"
          checked={query.borderlineOnly ?? false}
          onChange={(e) => onQueryChange({ ...query, borderlineOnly: e.target.checked })}
        />
        Borderline only
      </label>
      <div className="field">
        <label htmlFor="worklist-review-filter">Review</label>
        <select
          id="worklist-review-filter"
          value={query.reviewed ?? 'all'}
          onChange={(e) => onQueryChange({ ...query, reviewed: e.target.value as 'all' | 'reviewed' | 'unreviewed' })}
        >
          <option value="all">All</option>
          <option value="unreviewed">Not reviewed</option>
          <option value="reviewed">Reviewed</option>
        </select>
      </div>
      <div className="toolbar-actions">
        <button
          type="button"
          onClick={() => onExport(search)}
          disabled={exporting}
          aria-busy={exporting || undefined}
          data-testid="export-button"
        >
          {exportLabel}
        </button>
        <button type="button" onClick={onPrint}>
          Printable High-risk list
        </button>
      </div>
    </div>
  );
}
