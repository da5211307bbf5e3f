import type { MonitoringSummary } from '@contract/admin-outputs';
import { formatDateTime } from '../../../components/format';
import { SimpleTable } from '../../../components/simple-table';

/** Drift and performance alerts, each acknowledged once by an admin. */
export function AlertsPanel({
  data,
  acknowledged,
  onAcknowledge,
}: {
  data: MonitoringSummary;
  acknowledged: string | null;
  onAcknowledge: (id: number) => void;
}) {
  const open = data.alerts.filter((a) => !a.acknowledgedAt).length;
  return (
    <section className="panel" aria-labelledby="alerts">
      <h2 id="alerts">
        Alerts ({open} open, {data.alerts.length - open} acknowledged)
      </h2>
      {acknowledged && <p role="status">{acknowledged}</p>}
      <p data-testid="recall-alert-status">{data.recallAlertStatus}</p>
      {data.alerts.length === 0 ? (
        <p className="muted">No alerts raised.</p>
      ) : (
        <SimpleTable
          label="Alerts"
          rows={data.alerts}
          rowKey={(a) => a.id}
          columns={[
            { header: 'Raised', cell: (a) => formatDateTime(a.raisedAt) },
            { header: 'Kind', cell: (a) => a.kind },
            { header: 'Week / batch', cell: (a) => a.week ?? (a.batchId !== null ? `batch ${a.batchId}` : '—') },
            { header: 'Message', cell: (a) => a.message, className: 'wrap' },
            {
              header: 'Status',
              cell: (a) =>
                a.acknowledgedAt ? (
                  `Acknowledged by ${a.acknowledgedBy}`
                ) : (
                  <button type="button" onClick={() => onAcknowledge(a.id)}>
                    Acknowledge alert {a.id}
                  </button>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
