/**
 * The drift report's types are part of the UI contract (the admin's drift view renders the report as it is), so
 * they are defined once in core/api/drift-types.ts, which the renderer may import; core/drift computes them.
 */
export type {
  DatasetDrift,
  DatasetDriftRule,
  DriftReport,
  FeatureDrift,
  HistogramBins,
  ImportanceDrift,
  OutputDrift,
} from '../api/drift-types';
