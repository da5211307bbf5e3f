import type { ApiClient } from '@contract/api-client';
import type { AlertRecord } from '@contract/monitoring-types';
import { useEffect, useRef, useState } from 'react';

/** How often an admin's open alerts are fetched while the app is open. */
const POLL_MS = 60_000;

/**
 * The open (unacknowledged) alerts, for admins: fetched at sign-in, whenever `refreshKey` changes (each
 * navigation), after each import and every minute. When the count rises, the operating system is told (a desktop notification, where
 * the user allows it), so an alert raised by a batch or a label import reaches someone who is not looking.
 */
export function useOpenAlerts(client: ApiClient, enabled: boolean, refreshKey: unknown): AlertRecord[] {
  const [alerts, setAlerts] = useState<AlertRecord[]>([]);
  const known = useRef<Set<number> | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey only triggers a fetch.
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const load = () =>
      void client.api.listOpenAlerts({}).then((result) => {
        if (cancelled || !result.ok) return;
        const fresh = result.value.filter((a) => known.current !== null && !known.current.has(a.id));
        known.current = new Set(result.value.map((a) => a.id));
        setAlerts(result.value);
        if (fresh.length > 0) notifyDesktop(fresh);
      });
    load();
    const timer = setInterval(load, POLL_MS);
    // An import raises its alerts before it returns; calls are served in order, so this fetch sees them.
    const unsubscribe = client.on('importProgress', (event) => {
      if (event.phase === 'done') load();
    });
    return () => {
      cancelled = true;
      clearInterval(timer);
      unsubscribe();
    };
  }, [client, enabled, refreshKey]);
  return enabled ? alerts : [];
}

function notifyDesktop(fresh: AlertRecord[]): void {
  if (typeof Notification === 'undefined') return;
  const show = () => {
    const body = fresh.length === 1 ? fresh[0].message : `${fresh.length} new monitoring alerts`;
    new Notification('Glucoscreen: new monitoring alert', { body, tag: 'glucoscreen-alerts' });
  };
  if (Notification.permission === 'granted') show();
  else if (Notification.permission === 'default')
    void Notification.requestPermission().then((p) => p === 'granted' && show());
}
