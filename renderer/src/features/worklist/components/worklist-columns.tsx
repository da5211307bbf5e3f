import type { WorklistSortColumn } from '@contract/inputs';
import type { WorklistRow } from '@contract/outputs';
import { createColumnHelper } from '@tanstack/react-table';
import { IncompleteBadge, MeasureCell } from '../../../components/assumed-values';
import { formatMeasure, formatNumber, formatScore } from '../../../components/format';
import { RiskBadge } from '../../../components/risk-badge';
import { FactorSummary } from '../../../components/risk-factors';
import { RiskRiseMarker } from '../../follow-up/components/risk-rise-marker';
import { SelectPatientBox } from '../../follow-up/components/worklist-selection';

const column = createColumnHelper<WorklistRow>();

/** A measurement column: the value, or "not measured" with the value the model assumed for `feature`. */
function measureColumn(
  key: ('glucose' & WorklistSortColumn) | ('bmi' & WorklistSortColumn),
  header: string,
  feature: string,
  format: (value: number | null) => string,
) {
  return column.accessor(key, {
    id: key,
    header,
    cell: (info) => (
      <MeasureCell
        value={info.getValue()}
        assumed={info.row.original.assumed.find((a) => a.feature === feature)}
        format={format}
      />
    ),
  });
}

/** Column ids are the contract's sort columns, so a header click maps straight onto the server-side query. */
export function worklistColumns(onOpen: (row: WorklistRow) => void) {
  return [
    column.accessor('patientId', {
      id: 'patientId' satisfies WorklistSortColumn,
      header: 'Patient ID',
      cell: (info) => (
        <>
          <SelectPatientBox patientId={info.getValue()} />
          <button type="button" className="link" tabIndex={-1} onClick={() => onOpen(info.row.original)}>
            {info.getValue()}
          </button>
        </>
      ),
    }),
    column.accessor('category', {
      id: 'risk' satisfies WorklistSortColumn,
      header: 'Risk',
      cell: (info) => <RiskBadge category={info.getValue()} />,
    }),
    column.accessor('score', {
      id: 'score' satisfies WorklistSortColumn,
      header: 'Score',
      cell: (info) => (
        <>
          {formatScore(info.getValue())}
          <RiskRiseMarker rise={info.row.original.riskRise} />
        </>
      ),
    }),
    column.accessor('recommended', {
      id: 'recommended' satisfies WorklistSortColumn,
      header: 'Screening',
      cell: (info) => (
        <>
          {info.getValue() ? 'Recommended' : '—'}
          {info.row.original.borderline && <span className="borderline-badge">Borderline</span>}
          <IncompleteBadge assumed={info.row.original.assumed} compact />
          {info.row.original.warnings.length > 0 && (
            <span className="warning-badge" title={info.row.original.warnings.join('\n')}>
              {info.row.original.warnings.length === 1
                ? '1 import warning'
                : `${info.row.original.warnings.length} import warnings`}
            </span>
          )}
        </>
      ),
    }),
    measureColumn('glucose', 'Glucose (mg/dL)', 'Glucose', formatMeasure),
    measureColumn('bmi', 'BMI', 'BMI', (v) => formatNumber(v, 1)),
    column.accessor('age', {
      id: 'age' satisfies WorklistSortColumn,
      header: 'Age',
      cell: (info) => formatNumber(info.getValue()),
    }),
    column.accessor('review', {
      id: 'reviewed' satisfies WorklistSortColumn,
      header: 'Reviewed',
      cell: (info) => {
        const review = info.getValue();
        return review ? (
          <span className="reviewed" title={review.note || undefined}>
            ✓ by {review.by}
          </span>
        ) : (
          <span className="muted">Not yet</span>
        );
      },
    }),
    column.display({
      id: 'factors',
      header: 'Why (top factors)',
      enableSorting: false,
      cell: (info) => <FactorSummary factors={info.row.original.topFactors} />,
    }),
  ];
}

export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(['score', 'glucose', 'bmi', 'age']);
