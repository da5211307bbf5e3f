import { expectTypeOf, test } from 'vitest';
import type {
  DriftReportDto,
  LabelImportReportDto,
  WeeklyEstimateDto,
  WeeklyPerformanceDto,
} from '../api/admin-outputs';
import type { DriftReport } from '../drift/drift-report';
import type { LabelImportReport } from '../labels/label-import';
import type { WeeklyEstimate } from '../monitoring/cbpe';
import type { WeeklyPerformance } from '../monitoring/weekly-performance';

// The contract mirrors core's report types (core/api may not import core/eda, core/drift, ...). These checks fail to
// compile when either side changes without the other.
test('the drift report mirror accepts every core/drift report', () => {
  expectTypeOf<DriftReport>().toExtend<DriftReportDto>();
});

test('the monitoring and label mirrors accept what core/monitoring and core/labels produce', () => {
  expectTypeOf<WeeklyPerformance>().toExtend<WeeklyPerformanceDto>();
  expectTypeOf<WeeklyEstimate>().toExtend<WeeklyEstimateDto>();
  expectTypeOf<LabelImportReport>().toExtend<LabelImportReportDto>();
});
