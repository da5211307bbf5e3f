import type { GateResultDto } from '@contract/admin-outputs';

const STATUS_LABEL: Record<string, string> = {
  pass: 'Passed',
  fail: 'Failed',
  'not-applicable': 'Not judged',
};

/** The promotion gates with their verdicts and figures, as core computed them. */
export function GateList({
  label,
  gates,
}: {
  label: string;
  gates: { gate: string; status: GateResultDto['status'] | string; message: string }[];
}) {
  return (
    <ul aria-label={label} className="gate-list">
      {gates.map((g) => (
        <li key={g.gate} className={`gate gate-${g.status}`}>
          <strong>{STATUS_LABEL[g.status] ?? g.status}</strong> {g.message}
        </li>
      ))}
    </ul>
  );
}
