import type { WorklistQueryInput, WorklistSortColumn } from '@contract/inputs';
import type { BatchSummary, RiskCategory, WorklistRow } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { flexRender, getCoreRowModel, type SortingState, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { downloadFile } from '../../../components/download';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { ReviewDialog } from './review-dialog';
import { useWorklistPages } from './use-worklist-pages';
import { NUMERIC_COLUMNS, worklistColumns } from './worklist-columns';

const ROW_HEIGHT = 40;
const CATEGORIES: RiskCategory[] = ['High', 'Medium', 'Low'];

export function WorklistView({
  batchId,
  query,
  onQueryChange,
  onOpenPatient,
  onPrint,
}: {
  batchId: string;
  query: WorklistQueryInput;
  onQueryChange: (query: WorklistQueryInput) => void;
  onOpenPatient: (patientId: string, position: number) => void;
  onPrint: () => void;
}) {
  const api = useApi();
  const [batch, setBatch] = useState<BatchSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState(0);
  const [reviewing, setReviewing] = useState<{ row: WorklistRow; position: number } | null>(null);
  const [search, setSearch] = useState(query.search ?? '');
  const {
    matching,
    categoryCounts,
    error: pageError,
    version,
    ensureRange,
    rowAt,
    patchReview,
  } = useWorklistPages(batchId, query);
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => {
    void api.getBatch({ batchId }).then((result) => (result.ok ? setBatch(result.value) : setError(result.error)));
  }, [api, batchId]);

  // Debounced search: one query per pause in typing, not per key.
  useEffect(() => {
    if (search === (query.search ?? '')) return;
    const timer = setTimeout(() => onQueryChange({ ...query, search }), 250);
    return () => clearTimeout(timer);
  }, [search, query, onQueryChange]);

  const count = matching ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count > 0) ensureRange(first, last);
  }, [first, last, count, ensureRange]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` marks new pages arriving in the cache
  const visibleRows = useMemo(() => {
    const rows: { position: number; row: WorklistRow }[] = [];
    for (const item of items) {
      const row = rowAt(item.index);
      if (row) rows.push({ position: item.index, row });
    }
    return rows;
  }, [items, rowAt, version]);

  const sorting: SortingState = (query.sort ?? []).map((s) => ({ id: s.column, desc: s.direction === 'desc' }));
  const positions = useMemo(() => new Map(visibleRows.map((v) => [v.row.rowIndex, v.position])), [visibleRows]);
  const positionOf = (row: WorklistRow) => positions.get(row.rowIndex) ?? 0;
  // Columns stay stable across scrolling; the click handler reads the latest positions through a ref.
  const openRef = useRef((_row: WorklistRow) => {});
  openRef.current = (row) => onOpenPatient(row.patientId, positionOf(row));
  const columns = useMemo(() => worklistColumns((row) => openRef.current(row)), []);

  const table = useReactTable({
    data: visibleRows.map((v) => v.row),
    columns,
    getRowId: (row) => String(row.rowIndex),
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    enableMultiSort: true,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      onQueryChange({
        ...query,
        sort: next.map((s) => ({ column: s.id as WorklistSortColumn, direction: s.desc ? 'desc' : 'asc' })),
      });
      setSelected(0);
      virtualizer.scrollToIndex(0);
    },
  });

  const toggleCategory = (category: RiskCategory) => {
    const current = new Set(query.categories ?? []);
    if (current.has(category)) current.delete(category);
    else current.add(category);
    onQueryChange({ ...query, categories: CATEGORIES.filter((c) => current.has(c)) });
    setSelected(0);
  };

  const select = (position: number) => {
    const clamped = Math.max(0, Math.min(count - 1, position));
    setSelected(clamped);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target !== tableRef.current || event.altKey || event.ctrlKey || event.metaKey) return;
    const row = rowAt(selected);
    if (event.key === 'ArrowDown' || event.key === 'j') select(selected + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') select(selected - 1);
    else if (event.key === 'PageDown') select(selected + 15);
    else if (event.key === 'PageUp') select(selected - 15);
    else if (event.key === 'Home') select(0);
    else if (event.key === 'End') select(count - 1);
    else if (event.key === 'Enter' && row) onOpenPatient(row.patientId, selected);
    else if (event.key === 'r' && row) setReviewing({ row, position: selected });
    else return;
    event.preventDefault();
  };

  const confirmReview = async (note: string) => {
    if (!reviewing) return;
    const result = await api.markReviewed({ batchId, patientId: reviewing.row.patientId, note });
    if (result.ok) patchReview(reviewing.position, result.value);
    else setError(result.error);
    setReviewing(null);
    tableRef.current?.focus();
  };

  const exportCsv = async () => {
    const file = await api.exportWorklist({ batchId, query });
    if (file.ok) downloadFile(file.value);
    else setError(file.error);
  };

  const paddingTop = items.length > 0 ? items[0].start : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const activeRow = rowAt(selected);

  return (
    <div className="stack worklist">
      <div className="heading-row">
        <h1>Worklist</h1>
        {batch && (
          <p className="muted">
            {batch.fileName} · imported {formatDateTime(batch.importedAt)} by {batch.importedBy} · model{' '}
            {batch.modelVersion}
          </p>
        )}
      </div>
      <ErrorBanner error={error ?? pageError} />
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
                onChange={() => toggleCategory(category)}
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
          <button type="button" onClick={() => void exportCsv()}>
            Export CSV
          </button>
          <button type="button" onClick={onPrint}>
            Printable High-risk list
          </button>
        </div>
      </div>
      <p className="muted" aria-live="polite" data-testid="worklist-count">
        {matching === null ? 'Loading…' : `${matching} patients`}
        {' · '}Keys: ↑/↓ or J/K move, Enter opens, R marks reviewed.
      </p>
      <div ref={scrollRef} className="worklist-scroll">
        <table
          ref={tableRef}
          className="data-table worklist-table"
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an APG grid on a table: one tab stop, arrow keys move the selection
          role="grid"
          aria-label="Patients"
          aria-rowcount={count + 1}
          aria-activedescendant={activeRow ? `wl-row-${activeRow.rowIndex}` : undefined}
          tabIndex={0}
          onKeyDown={onKeyDown}
        >
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                      className={NUMERIC_COLUMNS.has(header.id) ? 'num' : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          className="sort-button"
                          onClick={header.column.getToggleSortingHandler()}
                          title="Sort (Shift+click adds a second sort)"
                        >
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden="true">{sorted === 'asc' ? ' ↑' : sorted === 'desc' ? ' ↓' : ''}</span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {paddingTop > 0 && (
              <tr style={{ height: paddingTop }}>
                <td colSpan={columns.length} />
              </tr>
            )}
            {table.getRowModel().rows.map((row) => {
              const position = positionOf(row.original);
              return (
                <tr
                  key={row.id}
                  id={`wl-row-${row.original.rowIndex}`}
                  aria-rowindex={position + 2}
                  aria-selected={position === selected}
                  className={`risk-row-${row.original.category.toLowerCase()}${position === selected ? ' selected' : ''}`}
                  style={{ height: ROW_HEIGHT }}
                  onClick={() => setSelected(position)}
                  onDoubleClick={() => onOpenPatient(row.original.patientId, position)}
                  data-testid="worklist-row"
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={NUMERIC_COLUMNS.has(cell.column.id) ? 'num' : undefined}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
            {paddingBottom > 0 && (
              <tr style={{ height: paddingBottom }}>
                <td colSpan={columns.length} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <ReviewDialog
        patientId={reviewing?.row.patientId ?? null}
        onConfirm={(note) => void confirmReview(note)}
        onCancel={() => setReviewing(null)}
      />
    </div>
  );
}
