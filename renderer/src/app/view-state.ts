import type { WorklistQueryInput } from '../../../core/api/inputs';

export type View =
  | { name: 'import' }
  | { name: 'worklist'; batchId: string }
  | { name: 'patient'; batchId: string; patientId: string; position: number }
  | { name: 'print'; batchId: string }
  | { name: 'quick-score' }
  | { name: 'history' }
  | { name: 'users' };

export const DEFAULT_QUERY: WorklistQueryInput = {
  sort: [{ column: 'risk', direction: 'desc' }],
  categories: [],
  recommendedOnly: false,
  reviewed: 'all',
  search: '',
};
