import type { ApiClient } from '@contract/api-client';
import type { WorklistQueryInput } from '@contract/inputs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OpenAlertsBanner } from '../features/alerts/open-alerts-banner';
import { useOpenAlerts } from '../features/alerts/use-open-alerts';
import { FirstRunView } from '../features/auth/components/first-run-view';
import { LockView } from '../features/auth/components/lock-view';
import { SignInView } from '../features/auth/components/sign-in-view';
import { ApiContext } from './api-context';
import { AppContent } from './app-content';
import { TopBar } from './top-bar';
import { useSession } from './use-session';
import { DEFAULT_QUERY, type View } from './view-state';

export function App({ client }: { client: ApiClient }) {
  const [view, setView] = useState<View>({ name: 'import' });
  const [query, setQuery] = useState<WorklistQueryInput>(DEFAULT_QUERY);
  const [lastBatchId, setLastBatchId] = useState<string | null>(null);
  // Whether this sign-in (or page load) has already landed on the latest worklist: done once, not after each unlock.
  const landed = useRef(false);
  const resetView = useCallback(() => {
    setView({ name: 'import' });
    setLastBatchId(null);
    landed.current = false;
  }, []);
  const { phase, status, session, loadError, guarded, signedIn, signOut, lockNow, signedOutWhileLocked } = useSession(
    client,
    resetView,
  );

  // Admins see open alerts in the navigation and as a banner, wherever they are (alerts are raised by batches and
  // label imports, not by opening Monitoring).
  const openAlerts = useOpenAlerts(guarded, phase === 'ready' && session?.role === 'admin', view);

  const openBatch = useCallback((batchId: string) => {
    setLastBatchId(batchId);
    setQuery(DEFAULT_QUERY);
    setView({ name: 'worklist', batchId });
  }, []);

  // A clinician's day starts at the latest daily batch's worklist, after sign-in and after a reload alike.
  useEffect(() => {
    if (phase !== 'ready' || landed.current) return;
    landed.current = true;
    void guarded.api.listBatches({ limit: 50 }).then((result) => {
      if (!result.ok) return;
      const latest = result.value.find((b) => b.source === 'file' && b.status === 'complete');
      if (!latest) return;
      setLastBatchId((current) => current ?? latest.batchId);
      // Only if the user has not gone elsewhere meanwhile.
      setView((current) => (current.name === 'import' ? { name: 'worklist', batchId: latest.batchId } : current));
    });
  }, [phase, guarded]);

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
        <LockView username={session.username} onUnlocked={signedIn} onSignedOut={signedOutWhileLocked} />
      )}
      {phase === 'ready' && session && (
        <div className="shell">
          <TopBar
            session={session}
            view={view}
            lastBatchId={lastBatchId}
            openAlertCount={openAlerts.length}
            onNavigate={setView}
            onLock={() => void lockNow('manual')}
            onSignOut={() => void signOut()}
          />
          {view.name !== 'monitoring' && (
            <OpenAlertsBanner alerts={openAlerts} onOpen={() => setView({ name: 'monitoring' })} />
          )}
          <AppContent
            session={session}
            view={view}
            query={query}
            onQueryChange={setQuery}
            onNavigate={setView}
            onOpenBatch={openBatch}
          />
        </div>
      )}
    </ApiContext.Provider>
  );
}
