import './alerts.css';
import type { AlertRecord } from '@contract/monitoring-types';

/** Shown to an admin while alerts are open: acknowledging them in Monitoring is the only way to close them. */
export function OpenAlertsBanner({ alerts, onOpen }: { alerts: AlertRecord[]; onOpen: () => void }) {
  if (alerts.length === 0) return null;
  const newest = alerts[0];
  return (
    <div className="banner banner-error open-alerts-banner" role="alert" data-testid="open-alerts-banner">
      <strong>{alerts.length === 1 ? '1 open alert' : `${alerts.length} open alerts`}</strong>: {newest.message}
      {alerts.length > 1 && ' (and more)'}{' '}
      <button type="button" className="link" onClick={onOpen}>
        Review in Monitoring
      </button>
    </div>
  );
}

/** The count beside the Monitoring entry of the navigation. */
export function AlertsBadge({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    // Hidden from assistive technology, which hears the banner (role alert) instead, so that the navigation
    // entry keeps its name.
    <span className="nav-badge" data-testid="alerts-badge" aria-hidden="true">
      {count}
    </span>
  );
}
