import type { KeyFinding } from '@contract/eda-types';

/** The plain-language findings drawn from the other sections. */
export function KeyFindings({ findings }: { findings: KeyFinding[] }) {
  return (
    <section className="panel" aria-labelledby="eda-findings">
      <h2 id="eda-findings">9. Key findings</h2>
      <ul className="findings">
        {findings.map((f) => (
          <li key={`${f.topic}-${f.text}`}>{f.text}</li>
        ))}
      </ul>
    </section>
  );
}
