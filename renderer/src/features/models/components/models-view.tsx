import type { ModelList, ModelVersionDto } from '@contract/admin-outputs';
import type { ApiError } from '@contract/result';
import { useCallback, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { ScrollRegion } from '../../../components/scroll-region';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';
import { metricValue } from '../utils/model-metrics';
import { CompareVersions } from './compare-versions';
import { FeatureImportance } from './feature-importance';
import { RetrainPanel } from './retrain-panel';
import { TrainingRuns } from './training-runs';
import '../models.css';

type Pending = { kind: 'promote'; model: ModelVersionDto } | { kind: 'rollback' } | null;

const LOCATION_LABEL: Record<ModelVersionDto['location'], string> = {
  production: 'Production',
  production_backup: 'Previous production (backup)',
  experiment: 'Experiment',
  archive: 'Archive',
};

/** The registry's versions, promote / roll back (confirmed, audited), model cards, comparisons, training runs. */
export function ModelsView() {
  const api = useApi();
  const models = useResult(useCallback(() => api.listModels({}), [api]));
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [cardOf, setCardOf] = useState<string | null>(null);
  // A finished retraining run adds a version and a training run: both lists load again.
  const [retrained, setRetrained] = useState(0);
  const { reload } = models;
  const onRetrained = useCallback(() => {
    void reload();
    setRetrained((n) => n + 1);
  }, [reload]);
  const list: ModelList | null = models.value;
  const card = list?.versions.find((v) => v.id === cardOf) ?? null;

  const confirm = async () => {
    const action = pending;
    setPending(null);
    if (!action) return;
    const result =
      action.kind === 'promote'
        ? await api.promoteModel({ modelId: action.model.id, confirmed: true })
        : await api.rollbackModel({ confirmed: true });
    if (result.ok) {
      models.setValue(result.value);
      setError(null);
      setDone(
        action.kind === 'promote'
          ? `${result.value.productionVersion} is now in production.`
          : `Rolled back: ${result.value.productionVersion} is in production again.`,
      );
    } else {
      setDone(null);
      setError(result.error);
    }
  };

  return (
    <div className="stack">
      <div className="heading-row">
        <h1>Models</h1>
        {list && (
          <p className="muted">
            In production: <strong>{list.productionVersion ?? 'none'}</strong>
            {list.backupVersion ? `, backup ${list.backupVersion}` : ''}
          </p>
        )}
      </div>
      <ErrorBanner error={error ?? models.error} />
      {done && (
        <p className="banner banner-ok" role="status">
          {done}
        </p>
      )}
      {list && (
        <section className="panel" aria-labelledby="versions">
          <div className="heading-row">
            <h2 id="versions">Installed versions</h2>
            <button type="button" disabled={!list.backupVersion} onClick={() => setPending({ kind: 'rollback' })}>
              Roll back to {list.backupVersion ?? 'the backup'}
            </button>
          </div>
          <SimpleTable
            label="Model versions"
            scrollable
            rows={list.versions}
            rowKey={(v) => v.id}
            columns={[
              { header: 'Version', cell: (v) => v.version ?? '—' },
              {
                header: 'Where',
                cell: (v) => (
                  <>
                    {LOCATION_LABEL[v.location]}
                    {v.location === 'experiment' || v.location === 'archive' ? (
                      <span className="muted"> ({v.id.split('/')[1]})</span>
                    ) : null}
                    {v.problem && <div className="field-error">{v.problem}</div>}
                  </>
                ),
              },
              { header: 'Trained', cell: (v) => (v.trainedAt ? formatDateTime(v.trainedAt) : '—') },
              {
                header: 'Threshold',
                cell: (v) => (v.threshold === null ? '—' : v.threshold.toFixed(3)),
                className: 'num',
              },
              { header: 'Recall', cell: (v) => metricValue(v, 'recall'), className: 'num' },
              { header: 'Precision', cell: (v) => metricValue(v, 'precision'), className: 'num' },
              { header: 'F2', cell: (v) => metricValue(v, 'f2'), className: 'num' },
              { header: 'AUC', cell: (v) => metricValue(v, 'auc'), className: 'num' },
              {
                header: 'Actions',
                cell: (v) => (
                  <>
                    <button type="button" aria-pressed={cardOf === v.id} onClick={() => setCardOf(v.id)}>
                      Model card {v.version}
                    </button>
                    {v.canPromote && (
                      <button type="button" onClick={() => setPending({ kind: 'promote', model: v })}>
                        Promote {v.version}
                      </button>
                    )}
                  </>
                ),
                className: 'row-actions',
              },
            ]}
          />
          <p className="muted">
            Metrics: held-out test set where the bundle has one, otherwise the validation estimate from training.
          </p>
        </section>
      )}
      {card && (
        <section className="panel" aria-labelledby="model-card">
          <h2 id="model-card">Model card: {card.version}</h2>
          <FeatureImportance modelId={card.id} />
          {card.modelCard ? (
            <ScrollRegion label={`Model card text of ${card.version}`} className="model-card">
              <pre>{card.modelCard}</pre>
            </ScrollRegion>
          ) : (
            <p>This bundle has no model card.</p>
          )}
        </section>
      )}
      {list && list.versions.length >= 2 && <CompareVersions versions={list.versions} />}
      <RetrainPanel onFinished={onRetrained} />
      <TrainingRuns key={retrained} />
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'promote'
            ? `Promote ${pending.model.version} to production?`
            : `Roll back to ${list?.backupVersion ?? 'the backup'}?`
        }
        confirmLabel={pending?.kind === 'promote' ? 'Promote' : 'Roll back'}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        <p>
          {pending?.kind === 'promote'
            ? `New batches will be scored by ${pending.model.version} (threshold ${pending.model.threshold?.toFixed(3)}). The current production model ${list?.productionVersion ?? ''} becomes the backup.`
            : `New batches will be scored by ${list?.backupVersion ?? 'the backup'}; ${list?.productionVersion ?? 'the current model'} becomes the backup.`}{' '}
          This is recorded in the audit log under your name.
        </p>
      </ConfirmDialog>
    </div>
  );
}
