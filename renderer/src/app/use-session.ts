import type { ApiClient } from '@contract/api-client';
import type { FirstRunStatus, SessionInfo } from '@contract/outputs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { guardedClient } from './guarded-client';
import { useAutoLock } from './use-auto-lock';

type Phase = 'loading' | 'first-run' | 'sign-in' | 'locked' | 'ready';

/**
 * Where the user is in the session's life (first run, sign-in, locked, ready) and the actions that move them. Main
 * decides; a `locked` or `unauthenticated` answer to any call moves the phase through the guarded client.
 */
export function useSession(client: ApiClient, onSignedOut: () => void) {
  const [phase, setPhase] = useState<Phase>('loading');
  const [status, setStatus] = useState<FirstRunStatus | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
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
    onSignedOut();
    setPhase('sign-in');
  }, [api, onSignedOut]);

  const lockNow = useCallback(
    async (reason: 'manual' | 'inactivity') => {
      const result = await api.lock({ reason });
      if (result.ok) setSession(result.value);
      setPhase('locked');
    },
    [api],
  );

  // Signed out from the lock screen: main has already ended the session.
  const signedOutWhileLocked = useCallback(() => {
    setSession(null);
    setPhase('sign-in');
  }, []);

  useAutoLock(
    phase === 'ready',
    session?.autoLockMinutes ?? 0,
    () => void lockNow('inactivity'),
    () => void api.keepAlive({}),
  );

  return { phase, status, session, loadError, guarded, signedIn, signOut, lockNow, signedOutWhileLocked };
}
