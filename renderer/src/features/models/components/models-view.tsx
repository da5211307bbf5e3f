import type { ModelList, ModelVersionDto, PromotionRequestDto } from '@contract/admin-outputs';
import type { PromotionPreview } from '@contract/model-registry-methods';
import type { ApiError, Result } from '@contract/result';
import { useCallback, useId, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { downloadFile } from '../../../components/download';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { ScrollRegion } from '../../../components/scroll-region';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';
import { ModelsShadowPanel } from '../../shadow/components/models-shadow-panel';
import { metricValue } from '../utils/model-metrics';
import { CompareVersions } from './compare-versions';
import { FeatureImportance } from './feature-importance';
import { PendingPromotions } from './pending-promotions';
import { PromoteDialog } from './promote-dialog';
import { RetrainPanel } from './retrain-panel';
import { TrainingRuns } from './training-runs';
import '../models.css';

type Pending =
  | { kind: 'rollback' }
  | { kind: 'archive'; model: ModelVersionDto }
  | { kind: 'approve'; request: PromotionRequestDto }
  | { kind: 'reject'; request: PromotionRequestDto }
  | null;

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
  const session = useResult(useCallback(() => api.currentSession({}), [api]));
  const [pending, setPending] = useState<Pending>(null);
  const [preview, setPreview] = useState<PromotionPreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [cardOf, setCardOf] = useState<string | null>(null);
  const importId = useId();
  // A finished retraining run adds a version and a training run: both lists load again.
  const [retrained, setRetrained] = useState(0);
  const { reload } = models;
  const onRetrained = useCallback(() => {
    void reload();
    setRetrained((n) => n + 1);
  }, [reload]);
  const list: ModelList | null = models.value;
  const card = list?.versions.find((v) => v.id === cardOf) ?? null;

  /** Shows the new list and `message`, or the error. */
  const settle = (result: Result<ModelList>, message: (list: ModelList) => string) => {
    if (result.ok) {
      models.setValue(result.value);
      setError(null);
      setDone(message(result.value));
    } else {
      setDone(null);
      setError(result.error);
    }
  };

  const openPromote = async (model: ModelVersionDto) => {
    const result = await api.promotionGates({ modelId: model.id });
    if (result.ok) setPreview(result.value);
    else setError(result.error);
  };

  const promote = async (overrideReason: string | null) => {
    const target = preview;
    setPreview(null);
    if (!target) return;
    const result = await api.promoteModel({
      modelId: target.modelId,
      confirmed: true,
      ...(overrideReason ? { overrideReason } : {}),
    });
    settle(result, (l) =>
      l.pendingPromotions.some((r) => r.modelId === target.modelId)
        ? `Promotion of ${target.version} requested; another admin must approve it.`
        : `${l.productionVersion} is now in production.`,
    );
  };

  const confirm = async () => {
    const action = pending;
    setPending(null);
    if (!action) return;
    if (action.kind === 'rollback')
      settle(
        await api.rollbackModel({ confirmed: true }),
        (l) => `Rolled back: ${l.productionVersion} is in production again.`,
      );
    else if (action.kind === 'archive')
      settle(
        await api.archiveModel({ modelId: action.model.id, confirmed: true }),
        () => `${action.model.version} was moved to the archive.`,
      );
    else if (action.kind === 'approve')
      settle(
        await api.approvePromotion({ requestId: action.request.requestId, confirmed: true }),
        (l) => `${l.productionVersion} is now in production.`,
      );
    else
      settle(
        await api.rejectPromotion({ requestId: action.request.requestId }),
        () => `The promotion of ${action.request.version} was rejected.`,
      );
  };

  const exportModel = async (model: ModelVersionDto) => {
    const result = await api.exportModel({ modelId: model.id });
    if (result.ok) downloadFile(result.value);
    else setError(result.error);
  };

  const importModel = async (file: File) => {
    const result = await api.importModel({ fileName: file.name, content: await file.text() });
    settle(result, (l) => {
      const added = l.versions.filter((v) => !list?.versions.some((old) => old.id === v.id));
      return `Imported ${added.map((v) => v.version).join(', ') || file.name}; every file matched its sha256.`;
    });
  };

  const dialogTitle = () => {
    if (pending?.kind === 'archive') return `Archive ${pending.model.version}?`;
    if (pending?.kind === 'approve') return `Approve the promotion of ${pending.request.version}?`;
    if (pending?.kind === 'reject') return `Reject the promotion of ${pending.request.version}?`;
    return `Roll back to ${list?.backupVersion ?? 'the backup'}?`;
  };
  const dialogLabel = { rollback: 'Roll back', archive: 'Archive', approve: 'Approve', reject: 'Reject' };
  const dialogText = () => {
    if (pending?.kind === 'archive')
      return `${pending.model.version} moves to the archive and is no longer offered for promotion.`;
    if (pending?.kind === 'approve')
      return `${pending.request.version}, requested by ${pending.request.requestedBy}, becomes production; the gates are checked again first.`;
    if (pending?.kind === 'reject') return `The request of ${pending.request.requestedBy} is closed.`;
    return `New batches will be scored by ${list?.backupVersion ?? 'the backup'}; ${list?.productionVersion ?? 'the current model'} becomes the backup.`;
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
                      <button type="button" onClick={() => void openPromote(v)}>
                        Promote {v.version}
                      </button>
                    )}
                    {v.canRestore && (
                      <button type="button" onClick={() => void openPromote(v)}>
                        Restore {v.version}
                      </button>
                    )}
                    {v.canArchive && (
                      <button type="button" onClick={() => setPending({ kind: 'archive', model: v })}>
                        Archive {v.version}
                      </button>
                    )}
                    {!v.problem && (
                      <button type="button" onClick={() => void exportModel(v)}>
                        Export {v.version}
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
          <div className="field">
            <label htmlFor={importId}>Import a model bundle (.json export from another site)</label>
            <input
              id={importId}
              type="file"
              accept=".json,application/json"
              onChange={async (event) => {
                const file = event.target.files?.[0];
                if (file) await importModel(file);
                event.target.value = '';
              }}
            />
          </div>
        </section>
      )}
      {list && (list.requireSecondApprover || list.pendingPromotions.length > 0) && (
        <PendingPromotions
          requests={list.pendingPromotions}
          currentUser={session.value?.username ?? null}
          onApprove={(request) => setPending({ kind: 'approve', request })}
          onReject={(request) => setPending({ kind: 'reject', request })}
        />
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
      {list && <ModelsShadowPanel versions={list.versions} />}
      {list && list.versions.length >= 2 && <CompareVersions versions={list.versions} />}
      <RetrainPanel onFinished={onRetrained} />
      <TrainingRuns key={retrained} />
      <ConfirmDialog
        open={pending !== null}
        title={dialogTitle()}
        confirmLabel={pending ? dialogLabel[pending.kind] : ''}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        <p>{dialogText()} This is recorded in the audit log under your name.</p>
      </ConfirmDialog>
      <PromoteDialog preview={preview} onConfirm={(reason) => void promote(reason)} onCancel={() => setPreview(null)} />
    </div>
  );
}
