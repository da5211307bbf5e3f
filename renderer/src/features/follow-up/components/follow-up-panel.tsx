import {
  type ManualStatus,
  type PatientHistory,
  RESULT_UNITS,
  type RecordResultOutcome,
  type ResultTest,
  TEST_NAMES,
} from '@contract/follow-up-types';
import type { ApiError } from '@contract/result';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { useAssignee } from './assignee-select';
import { PatientHistoryPanel } from './patient-history';
import { notifyFollowUpChanged, statusLabel } from './status-text';
import '../follow-up.css';

/** The patient page's follow-up: status and assignment, the next step, a test result, and the history. */
export function FollowUpPanel({ batchId, patientId }: { batchId: string; patientId: string }) {
  const api = useApi();
  const [history, setHistory] = useState<PatientHistory | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const reload = useCallback(async () => {
    const result = await api.patientHistory({ patientId });
    if (result.ok) setHistory(result.value);
    else setError(result.error);
  }, [api, patientId]);
  useEffect(() => {
    setMessage(null);
    void reload();
  }, [reload]);

  const done = async (result: { ok: true } | { ok: false; error: ApiError }, text: string) => {
    if (result.ok) {
      setMessage(text);
      setError(null);
      notifyFollowUpChanged();
      await reload();
    } else setError(result.error);
  };

  if (!history) return <ErrorBanner error={error} />;
  return (
    <>
      <section className="panel stack" aria-labelledby="follow-up-title">
        <h2 id="follow-up-title">Follow-up</h2>
        <p data-testid="follow-up-status">
          Status: <strong>{statusLabel(history.status)}</strong>
          {history.assignment
            ? ` · assigned to ${history.assignment.assignee} by ${history.assignment.by}, ${formatDateTime(history.assignment.at)}`
            : ' · not assigned'}
        </p>
        {message && <p role="status">{message}</p>}
        <ErrorBanner error={error} />
        <div className="follow-up-forms">
          <AssignForm
            current={history.assignment?.assignee ?? null}
            onAssign={async (assignee) => {
              const result = await api.assignFollowUp({ patientIds: [patientId], assignee });
              await done(result, `Assigned to ${assignee}.`);
            }}
          />
          {history.nextStatuses.length > 0 && (
            <StepForm
              key={history.status}
              choices={history.nextStatuses}
              onRecord={async (status, note) => {
                const result = await api.setFollowUpStatus({ batchId, patientId, status, note });
                await done(result, `Recorded: ${statusLabel(status)}.`);
              }}
            />
          )}
          {history.canRecordResult && (
            <ResultForm
              correction={history.status === 'result-recorded'}
              onRecord={async (input) => {
                const result = await api.recordFollowUpResult({ batchId, patientId, ...input });
                await done(result, result.ok ? resultMessage(result.value) : '');
              }}
            />
          )}
        </div>
      </section>
      <PatientHistoryPanel history={history} currentBatchId={batchId} />
    </>
  );
}

/** The rule that decided, and what became of the label (stored, already there, or in conflict and not stored). */
function resultMessage(outcome: RecordResultOutcome): string {
  const label = outcome.label;
  const effect =
    label.conflicts.length > 0
      ? 'It conflicts with the label stored for that date, so the label was not changed; an administrator can see the conflict.'
      : label.inserted > 0
        ? label.matched > 0
          ? 'Stored as this patient’s label; monitoring is updated.'
          : 'Stored as this patient’s label (no screening on or before the test date to judge).'
        : 'The same label was already stored.';
  return `${outcome.result.rule} (${outcome.converted.value} ${outcome.converted.unit}). ${effect}`;
}

function AssignForm({ current, onAssign }: { current: string | null; onAssign: (assignee: string) => Promise<void> }) {
  const { assignee, picker } = useAssignee(current);
  return (
    <form
      aria-label="Assign"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void onAssign(assignee);
      }}
    >
      {picker}
      <button type="submit" disabled={!assignee || assignee === current}>
        Assign
      </button>
    </form>
  );
}

function StepForm({
  choices,
  onRecord,
}: {
  choices: ManualStatus[];
  onRecord: (status: ManualStatus, note: string) => Promise<void>;
}) {
  const [status, setStatus] = useState<ManualStatus>(choices[0]);
  const [note, setNote] = useState('');
  return (
    <form
      aria-label="Next step"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void onRecord(status, note).then(() => setNote(''));
      }}
    >
      <label>
        Next step
        <select value={status} onChange={(e) => setStatus(e.target.value as ManualStatus)}>
          {choices.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Step note
        <textarea value={note} rows={2} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit">Record step</button>
    </form>
  );
}

interface ResultInput {
  test: ResultTest;
  value: number;
  unit: (typeof RESULT_UNITS)[ResultTest][number];
  testDate: string;
  note: string;
  correction: boolean;
}

function ResultForm({
  correction,
  onRecord,
}: {
  correction: boolean;
  onRecord: (input: ResultInput) => Promise<void>;
}) {
  const [test, setTest] = useState<ResultTest>('hba1c');
  const [unit, setUnit] = useState<string>(RESULT_UNITS.hba1c[0]);
  const [value, setValue] = useState('');
  const [testDate, setTestDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState('');
  return (
    <form
      aria-label={correction ? 'Correct the result' : 'Record a result'}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void onRecord({
          test,
          unit: unit as ResultInput['unit'],
          value: Number(value.replace(',', '.')),
          testDate,
          note,
          correction,
        });
      }}
    >
      <div className="inline-fields">
        <label>
          Test
          <select
            value={test}
            onChange={(e) => {
              const next = e.target.value as ResultTest;
              setTest(next);
              setUnit(RESULT_UNITS[next][0]);
            }}
          >
            {(Object.keys(TEST_NAMES) as ResultTest[]).map((t) => (
              <option key={t} value={t}>
                {TEST_NAMES[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Value
          <input inputMode="decimal" required value={value} onChange={(e) => setValue(e.target.value)} size={6} />
        </label>
        <label>
          Unit
          <select value={unit} onChange={(e) => setUnit(e.target.value)}>
            {RESULT_UNITS[test].map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
        <label>
          Test date
          <input type="date" required value={testDate} onChange={(e) => setTestDate(e.target.value)} />
        </label>
      </div>
      <label>
        {correction ? 'Why the correction (required)' : 'Result note'}
        <textarea value={note} rows={2} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        {correction ? 'Record corrected result' : 'Record result'}
      </button>
    </form>
  );
}
