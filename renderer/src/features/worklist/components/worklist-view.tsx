import type { WorklistQueryInput, WorklistSortColumn } from '@contract/inputs';
import type { BatchSummary, RiskCategory, WorklistRow } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { getCoreRowModel, type SortingState, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime, pluralPatients } from '../../../components/format';
import { BulkFollowUpBar } from '../../follow-up/components/worklist-selection';
import { useStreamedExport } from '../hooks/use-streamed-export';
import { useWorklistPages } from '../hooks/use-worklist-pages';
import { exportButtonLabel, exportProgressView } from '../utils/export-progress';
import { ReviewDialog } from './review-dialog';
import '../worklist.css';
import { BatchDriftNotice } from '../../alerts/batch-drift-notice';
import { worklistColumns } from './worklist-columns';
import { ROW_HEIGHT, WorklistTable } from './worklist-table';
import { CATEGORIES, WorklistToolbar } from './worklist-toolbar';

export function WorklistView({
  batchId,
  query,
  onQueryChange,
  onOpenPatient,
  onPrint,
  onOpenReport,
}: {
  batchId: string;
  query: WorklistQueryInput;
  onQueryChange: (query: WorklistQueryInput) => void;
  onOpenPatient: (patientId: string, position: number) => void;
  onPrint: () => void;
  onOpenReport: () => void;
}) {
  const api = useApi();
  const [batch, setBatch] = useState<BatchSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState(0);
  const [reviewing, setReviewing] = useState<{ row: WorklistRow; position: number } | null>(null);
  const {
    matching,
    total,
    categoryCounts,
    incompleteCount,
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

  /** The next loaded row after `position` without a review (else simply the next row): the daily path moves on. */
  const nextUnreviewed = (position: number) => {
    for (let p = position + 1; p < count; p++) {
      const row = rowAt(p);
      if (!row) break;
      if (!row.review) return p;
    }
    return Math.min(position + 1, count - 1);
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
    if (result.ok) {
      patchReview(reviewing.position, result.value);
      select(nextUnreviewed(reviewing.position));
    } else setError(result.error);
    setReviewing(null);
    tableRef.current?.focus();
  };

  const streamedExport = useStreamedExport(batchId);
  const exporting = streamedExport.progress !== null;
  const exportCsv = async (search: string) => {
    // The search box as typed, not the debounced query: clearing it and exporting at once exports every row.
    const exportQuery = { ...query, search };
    if (search !== (query.search ?? '')) onQueryChange(exportQuery);
    const failure = await streamedExport.run(exportQuery);
    if (failure) setError(failure);
  };
  const exportLabel = exportButtonLabel(matching, total, exporting);
  const exportShown = streamedExport.progress && exportProgressView(streamedExport.progress);

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
      {batch && batch.rejectedRows > 0 && (
        <p className="banner banner-warning" data-testid="worklist-not-scored">
          {pluralPatients(batch.rejectedRows)} of the file not scored (rows rejected).{' '}
          <button type="button" className="link" onClick={onOpenReport}>
            See the validation report
          </button>
        </p>
      )}
      {batch && <BatchDriftNotice drift={batch.drift} />}
      {incompleteCount !== null && incompleteCount > 0 && (
        <p className="banner banner-warning" data-testid="worklist-incomplete">
          {pluralPatients(incompleteCount)} incomplete: scored on an assumed Glucose or BMI (marked “Incomplete” below).
        </p>
      )}
      <ErrorBanner error={error ?? pageError} />
      <WorklistToolbar
        query={query}
        categoryCounts={categoryCounts}
        onQueryChange={onQueryChange}
        onToggleCategory={toggleCategory}
        onExport={(search) => void exportCsv(search)}
        onPrint={onPrint}
        exportLabel={exportLabel}
        exporting={exporting}
      />
      <BulkFollowUpBar batchId={batchId} />
      {exportShown && (
        <label className="export-progress" aria-live="polite" data-testid="export-progress">
          {exportShown.label}
          <progress max={100} value={exportShown.percent} aria-label="Export progress" />
        </label>
      )}
      <p className="muted" aria-live="polite" data-testid="worklist-count">
        {matching === null ? 'Loading…' : pluralPatients(matching)}
        {' · '}Keys: ↑/↓ or J/K move, Enter opens, R marks reviewed.
      </p>
      <WorklistTable
        table={table}
        scrollRef={scrollRef}
        tableRef={tableRef}
        count={count}
        selected={selected}
        activeRow={activeRow}
        paddingTop={paddingTop}
        paddingBottom={paddingBottom}
        positionOf={positionOf}
        onKeyDown={onKeyDown}
        onSelect={setSelected}
        onOpenPatient={onOpenPatient}
      />
      <ReviewDialog
        patientId={reviewing?.row.patientId ?? null}
        onConfirm={(note) => void confirmReview(note)}
        onCancel={() => setReviewing(null)}
      />
    </div>
  );
}
