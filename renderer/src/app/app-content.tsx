import type { WorklistQueryInput } from '@contract/inputs';
import type { SessionInfo } from '@contract/outputs';
import { lazy, Suspense } from 'react';
import { FollowUpListView } from '../features/follow-up/components/follow-up-list-view';
import { WorklistSelection } from '../features/follow-up/components/worklist-selection';
import { BatchHistoryView } from '../features/history/components/batch-history-view';
import { BatchReportView } from '../features/history/components/batch-report-view';
import { ImportView } from '../features/import/components/import-view';
import { PatientDetailView } from '../features/patient/components/patient-detail-view';
import { QuickScoreView } from '../features/quick-score/components/quick-score-view';
import { UsersView } from '../features/users/components/users-view';
import { HighRiskPrintView } from '../features/worklist/components/high-risk-print-view';
import { WorklistView } from '../features/worklist/components/worklist-view';
import type { View } from './view-state';

// The admin views (and recharts) load on first use, so a clinician's app never downloads them.
const EdaView = lazy(() => import('../features/eda/components/eda-view').then((m) => ({ default: m.EdaView })));
const DriftView = lazy(() => import('../features/drift/components/drift-view').then((m) => ({ default: m.DriftView })));
const MonitoringView = lazy(() =>
  import('../features/monitoring/components/monitoring-view').then((m) => ({ default: m.MonitoringView })),
);
const ModelsView = lazy(() =>
  import('../features/models/components/models-view').then((m) => ({ default: m.ModelsView })),
);
const SystemHealthView = lazy(() =>
  import('../features/health/components/system-health-view').then((m) => ({ default: m.SystemHealthView })),
);
const ShadowView = lazy(() =>
  import('../features/shadow/components/shadow-view').then((m) => ({ default: m.ShadowView })),
);
const SettingsView = lazy(() =>
  import('../features/settings/components/settings-view').then((m) => ({ default: m.SettingsView })),
);
const ApiClientsView = lazy(() =>
  import('../features/api-clients/components/api-clients-view').then((m) => ({ default: m.ApiClientsView })),
);
const AuditView = lazy(() => import('../features/audit/components/audit-view').then((m) => ({ default: m.AuditView })));

/** The current view under the top bar; the worklist query lives above it so a patient's neighbours follow it. */
export function AppContent({
  session,
  view,
  query,
  onQueryChange,
  onNavigate,
  onOpenBatch,
}: {
  session: SessionInfo;
  view: View;
  query: WorklistQueryInput;
  onQueryChange: (query: WorklistQueryInput) => void;
  onNavigate: (view: View) => void;
  onOpenBatch: (batchId: string) => void;
}) {
  return (
    <main className="content">
      {view.name === 'import' && <ImportView onOpenBatch={onOpenBatch} />}
      {view.name === 'worklist' && (
        // The selection for bulk follow-up actions (assign, mark contacted).
        <WorklistSelection batchId={view.batchId}>
          <WorklistView
            batchId={view.batchId}
            query={query}
            onQueryChange={onQueryChange}
            onOpenPatient={(patientId, position) =>
              onNavigate({ name: 'patient', batchId: view.batchId, patientId, position })
            }
            onPrint={() => onNavigate({ name: 'print', batchId: view.batchId })}
            onOpenReport={() => onNavigate({ name: 'report', batchId: view.batchId })}
          />
        </WorklistSelection>
      )}
      {view.name === 'patient' && (
        <PatientDetailView
          username={session.username}
          batchId={view.batchId}
          patientId={view.patientId}
          position={view.position}
          query={query}
          onNavigate={(patientId, position) =>
            onNavigate({ name: 'patient', batchId: view.batchId, patientId, position })
          }
          onBack={() => onNavigate({ name: 'worklist', batchId: view.batchId })}
        />
      )}
      {view.name === 'print' && (
        <HighRiskPrintView
          batchId={view.batchId}
          onBack={() => onNavigate({ name: 'worklist', batchId: view.batchId })}
        />
      )}
      {view.name === 'quick-score' && <QuickScoreView />}
      {view.name === 'history' && (
        <BatchHistoryView
          onOpenBatch={onOpenBatch}
          onOpenReport={(batchId) => onNavigate({ name: 'report', batchId })}
        />
      )}
      {view.name === 'report' && (
        <BatchReportView batchId={view.batchId} onBack={() => onNavigate({ name: 'history' })} />
      )}
      {view.name === 'follow-ups' && (
        <FollowUpListView
          list={view.list}
          onOpenPatient={(batchId, patientId) => onNavigate({ name: 'patient', batchId, patientId, position: 0 })}
        />
      )}
      {view.name === 'users' && session.role === 'admin' && <UsersView />}
      {session.role === 'admin' && (
        <Suspense fallback={<p role="status">Loading …</p>}>
          {view.name === 'eda' && <EdaView />}
          {view.name === 'drift' && <DriftView />}
          {view.name === 'monitoring' && <MonitoringView />}
          {view.name === 'models' && <ModelsView />}
          {view.name === 'shadow' && <ShadowView />}
          {view.name === 'health' && <SystemHealthView />}
          {view.name === 'audit' && <AuditView />}
          {view.name === 'settings' && <SettingsView />}
          {view.name === 'api-clients' && <ApiClientsView />}
        </Suspense>
      )}
    </main>
  );
}
