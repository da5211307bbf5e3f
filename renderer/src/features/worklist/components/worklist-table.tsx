import type { WorklistRow } from '@contract/outputs';
import { flexRender, type Table } from '@tanstack/react-table';
import type { KeyboardEvent, RefObject } from 'react';
import { NUMERIC_COLUMNS } from './worklist-columns';
import '../../../components/data-table.css';

export const ROW_HEIGHT = 40;

/**
 * The virtualised patients grid: only the rows in view are rendered, between two spacer rows that keep the scroll
 * height of the whole list.
 */
export function WorklistTable({
  table,
  scrollRef,
  tableRef,
  count,
  selected,
  activeRow,
  paddingTop,
  paddingBottom,
  positionOf,
  onKeyDown,
  onSelect,
  onOpenPatient,
}: {
  table: Table<WorklistRow>;
  scrollRef: RefObject<HTMLDivElement | null>;
  tableRef: RefObject<HTMLTableElement | null>;
  count: number;
  selected: number;
  activeRow: WorklistRow | undefined;
  paddingTop: number;
  paddingBottom: number;
  positionOf: (row: WorklistRow) => number;
  onKeyDown: (event: KeyboardEvent) => void;
  onSelect: (position: number) => void;
  onOpenPatient: (patientId: string, position: number) => void;
}) {
  const columnCount = table.getAllLeafColumns().length;
  return (
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
              <td colSpan={columnCount} />
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
                onClick={() => onSelect(position)}
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
              <td colSpan={columnCount} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
