import type { ApiClient } from '@contract/api-client';
import type { WorklistQueryInput } from '@contract/inputs';
import type { FirstRunStatus, SessionInfo } from '@contract/outputs';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { FirstRunView } from '../features/auth/components/first-run-view';
import { LockView } from '../features/auth/components/lock-view';
import { SignInView } from '../features/auth/components/sign-in-view';
import { BatchHistoryView } from '../features/history/components/batch-history-view';
import { ImportView } from '../features/import/components/import-view';
import { PatientDetailView } from '../features/patient/components/patient-detail-view';
import { QuickScoreView } from '../features/quick-score/components/quick-score-view';
import { UsersView } from '../features/users/components/users-view';
import { HighRiskPrintView } from '../features/worklist/components/high-risk-print-view';
import { WorklistView } from '../features/worklist/components/worklist-view';
import { ApiContext } from './api-context';
import { guardedClient } from './guarded-client';
import { useAutoLock } from './use-auto-lock';
import { ADMIN_VIEWS, DEFAULT_QUERY, type View } from './view-state';

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
const AuditView = lazy(() => import('../features/audit/components/audit-view').then((m) => ({ default: m.AuditView })));

type Phase = 'loading' | 'first-run' | 'sign-in' | 'locked' | 'ready';

export function App({ client }: { client: ApiClient }) {
  const [phase, setPhase] = useState<Phase>('loading');
  const [status, setStatus] = useState<FirstRunStatus | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [view, setView] = useState<View>({ name: 'import' });
  const [query, setQuery] = useState<WorklistQueryInput>(DEFAULT_QUERY);
  const [lastBatchId, setLastBatchId] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const guarded = useMemo(
    () => guardedClient(client, (code) => setPhase(code === 'locked' ? 'locked' : 'sign-in')),
    [client],
  );
  const api = guarded.api;

  useEffect(() => {
    void (async () => {
      const [first, current] = await Promise.all([client.api.firstRunStatus({}), client.api.currentSession({})]);
      if (!first.ok) {
        setLoadError(first.error.message);
        return;
      }
      setStatus(first.value);
      if (first.value.needsAdmin) setPhase('first-run');
      else if (current.ok && current.value) {
        setSession(current.value);
        setPhase(current.value.locked ? 'locked' : 'ready');
      } else setPhase('sign-in');
    })();
  }, [client]);

  const signedIn = useCallback((next: SessionInfo) => {
    setSession(next);
    setPhase('ready');
  }, []);

  const signOut = useCallback(async () => {
    await api.signOut({});
    setSession(null);
    setView({ name: 'import' });
    setLastBatchId(null);
    setPhase('sign-in');
  }, [api]);

  const lockNow = useCallback(
    async (reason: 'manual' | 'inactivity') => {
      const result = await api.lock({ reason });
      if (result.ok) setSession(result.value);
      setPhase('locked');
    },
    [api],
  );

  useAutoLock(
    phase === 'ready',
    session?.autoLockMinutes ?? 0,
    () => void lockNow('inactivity'),
    () => void api.keepAlive({}),
  );

  const openBatch = useCallback((batchId: string) => {
    setLastBatchId(batchId);
    setQuery(DEFAULT_QUERY);
    setView({ name: 'worklist', batchId });
  }, []);

  if (loadError) {
    return (
      <main className="auth-page">
        <div className="panel banner-error" role="alert">
          Glucoscreen could not start: {loadError}
        </div>
      </main>
    );
  }
  if (phase === 'loading') return <main className="auth-page" aria-busy="true" />;

  return (
    <ApiContext.Provider value={guarded}>
      {phase === 'first-run' && <FirstRunView onSignedIn={signedIn} />}
      {phase === 'sign-in' && <SignInView status={status} onSignedIn={signedIn} />}
      {phase === 'locked' && session && (
        <LockView
          username={session.username}
          onUnlocked={signedIn}
          onSignedOut={() => {
            setSession(null);
            setPhase('sign-in');
          }}
        />
      )}
      {phase === 'ready' && session && (
        <div className="shell">
          <header className="topbar">
            <div className="brand">Glucoscreen</div>
            <nav aria-label="Main">
              <NavButton current={view.name === 'import'} onClick={() => setView({ name: 'import' })}>
                Import
              </NavButton>
              <NavButton
                current={view.name === 'worklist' || view.name === 'patient'}
                disabled={!lastBatchId}
                onClick={() => lastBatchId && setView({ name: 'worklist', batchId: lastBatchId })}
              >
                Worklist
              </NavButton>
              <NavButton current={view.name === 'quick-score'} onClick={() => setView({ name: 'quick-score' })}>
                Quick score
              </NavButton>
              <NavButton current={view.name === 'history'} onClick={() => setView({ name: 'history' })}>
                Batch history
              </NavButton>
              {session.role === 'admin' && (
                <NavButton current={view.name === 'users'} onClick={() => setView({ name: 'users' })}>
                  Users
                </NavButton>
              )}
              {session.role === 'admin' &&
                ADMIN_VIEWS.map((v) => (
                  <NavButton key={v.name} current={view.name === v.name} onClick={() => setView({ name: v.name })}>
                    {v.label}
                  </NavButton>
                ))}
            </nav>
            <div className="user-box">
              <span>
                {session.username} <span className="muted">({session.role})</span>
              </span>
              <button type="button" onClick={() => void lockNow('manual')}>
                Lock
              </button>
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </header>
          <main className="content">
            {view.name === 'import' && <ImportView onOpenBatch={openBatch} />}
            {view.name === 'worklist' && (
              <WorklistView
                batchId={view.batchId}
                query={query}
                onQueryChange={setQuery}
                onOpenPatient={(patientId, position) =>
                  setView({ name: 'patient', batchId: view.batchId, patientId, position })
                }
                onPrint={() => setView({ name: 'print', batchId: view.batchId })}
              />
            )}
            {view.name === 'patient' && (
              <PatientDetailView
                batchId={view.batchId}
                patientId={view.patientId}
                position={view.position}
                query={query}
                onNavigate={(patientId, position) =>
                  setView({ name: 'patient', batchId: view.batchId, patientId, position })
                }
                onBack={() => setView({ name: 'worklist', batchId: view.batchId })}
              />
            )}
            {view.name === 'print' && (
              <HighRiskPrintView
                batchId={view.batchId}
                onBack={() => setView({ name: 'worklist', batchId: view.batchId })}
              />
            )}
            {view.name === 'quick-score' && <QuickScoreView />}
            {view.name === 'history' && <BatchHistoryView onOpenBatch={openBatch} />}
            {view.name === 'users' && session.role === 'admin' && <UsersView />}
            {session.role === 'admin' && (
              <Suspense fallback={<p role="status">Loading …</p>}>
                {view.name === 'eda' && <EdaView />}
                {view.name === 'drift' && <DriftView />}
                {view.name === 'monitoring' && <MonitoringView />}
                {view.name === 'models' && <ModelsView />}
                {view.name === 'health' && <SystemHealthView />}
                {view.name === 'audit' && <AuditView />}
              </Suspense>
            )}
          </main>
        </div>
      )}
    </ApiContext.Provider>
  );
}

function NavButton({
  current,
  disabled,
  onClick,
  children,
}: {
  current: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: string;
}) {
  return (
    <button
      type="button"
      className={current ? 'nav-item current' : 'nav-item'}
      aria-current={current ? 'page' : undefined}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
