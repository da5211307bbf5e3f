import type { ValidationIssueDto, ValidationReportDto } from '@contract/outputs';
import { useState } from 'react';
import '../../../components/data-table.css';
import '../import.css';
import { ScrollRegion } from '../../../components/scroll-region';
import { listedText } from '../utils/listed-text';

const PAGE = 200;

/** Rejected rows (line, column, value, reason) and warnings, as a table; long lists are shown a page at a time. */
export function ValidationReportTable({ report }: { report: ValidationReportDto }) {
  const [severity, setSeverity] = useState<'error' | 'warning'>(report.rejectedRows > 0 ? 'error' : 'warning');
  const [shown, setShown] = useState(PAGE);
  const issues = report.issues.filter((issue) => issue.severity === severity);
  const errorCount = report.issues.filter((i) => i.severity === 'error').length;
  const warningCount = report.issues.length - errorCount;

  return (
    <section aria-labelledby="report-title" className="panel">
      <h2 id="report-title">Validation report</h2>
      <dl className="stats">
        <div>
          <dt>Rows read</dt>
          <dd>{report.totalRows}</dd>
        </div>
        <div>
          <dt>Accepted</dt>
          <dd>{report.acceptedRows}</dd>
        </div>
        <div>
          <dt>Rejected rows</dt>
          <dd>{report.rejectedRows}</dd>
        </div>
        <div>
          <dt>Warnings</dt>
          <dd>{report.warningCount}</dd>
        </div>
      </dl>
      {report.fileErrors.length > 0 && (
        <ul className="banner banner-error" aria-label="File errors">
          {report.fileErrors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {report.issues.length > 0 && (
        <>
          <fieldset className="segmented">
            <legend className="visually-hidden">Show</legend>
            <button type="button" aria-pressed={severity === 'error'} onClick={() => setSeverity('error')}>
              Problems in rejected rows ({errorCount})
            </button>
            <button type="button" aria-pressed={severity === 'warning'} onClick={() => setSeverity('warning')}>
              Warnings ({listedText(warningCount, report.warningCount)})
            </button>
          </fieldset>
          <ScrollRegion label={severity === 'error' ? 'Rejected rows, scrollable' : 'Warnings, scrollable'}>
            <table className="data-table" aria-label={severity === 'error' ? 'Rejected rows' : 'Warnings'}>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Patient</th>
                  <th scope="col">Column</th>
                  <th scope="col">Value</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {issues.slice(0, shown).map((issue) => (
                  <IssueRow key={`${issue.line}-${issue.column}-${issue.rule}-${issue.value}`} issue={issue} />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {issues.length > shown && (
            <button type="button" onClick={() => setShown(shown + PAGE)}>
              Show {Math.min(PAGE, issues.length - shown)} more
            </button>
          )}
          {report.issuesTruncated && (
            <p className="muted">
              The list is capped at {report.issues.length} problems here; the rejected-rows export contains every
              rejected row.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function IssueRow({ issue }: { issue: ValidationIssueDto }) {
  return (
    <tr>
      <td className="num">{issue.line ?? '—'}</td>
      <td>{issue.patientId ?? '—'}</td>
      <td>{issue.column ?? '—'}</td>
      <td>
        <code>{issue.value ?? ''}</code>
      </td>
      <td>{issue.message}</td>
    </tr>
  );
}
