import type { WorklistQueryInput } from '@contract/inputs';

export type View =
  | { name: 'import' }
  | { name: 'worklist'; batchId: string }
  | { name: 'patient'; batchId: string; patientId: string; position: number }
  | { name: 'print'; batchId: string }
  | { name: 'report'; batchId: string }
  | { name: 'quick-score' }
  | { name: 'history' }
  | { name: 'users' }
  | { name: 'follow-ups'; list: 'mine' | 'overdue' }
  | { name: AdminViewName };

/** The admin views (main refuses their calls to clinicians; the UI only hides them). */
export const ADMIN_VIEWS = [
  { name: 'eda', label: 'Data (EDA)' },
  { name: 'drift', label: 'Drift' },
  { name: 'monitoring', label: 'Monitoring' },
  { name: 'models', label: 'Models' },
  { name: 'shadow', label: 'Shadow' },
  { name: 'health', label: 'System health' },
  { name: 'audit', label: 'Audit log' },
  { name: 'settings', label: 'Settings' },
  { name: 'api-clients', label: 'API clients' },
] as const;
type AdminViewName = (typeof ADMIN_VIEWS)[number]['name'];

export const DEFAULT_QUERY: WorklistQueryInput = {
  sort: [{ column: 'risk', direction: 'desc' }],
  categories: [],
  recommendedOnly: false,
  reviewed: 'all',
  search: '',
};
