import type { ReactNode } from 'react';
import { ScrollRegion } from './scroll-region';
import './data-table.css';

/** One column of a SimpleTable: its header (unique within the table) and how a row fills its cell. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** The data cell's class: 'num' right-aligns numbers, 'wrap' and 'params' let long text wrap. */
  className?: string;
}

/**
 * A data table named by its aria-label: one header row of column headers, one row per item. Scrollable tables sit in
 * a focusable ScrollRegion named "<label> (scrollable)".
 */
export function SimpleTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  scrollable = false,
  scrollClassName,
}: {
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  scrollable?: boolean;
  scrollClassName?: string;
}) {
  const table = (
    <table className="data-table" aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => (
              <td key={column.header} className={column.className}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  if (!scrollable) return table;
  return (
    <ScrollRegion label={`${label} (scrollable)`} className={scrollClassName}>
      {table}
    </ScrollRegion>
  );
}
