import { z } from 'zod';
import { method } from './method-spec';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** The period of a report; both days included. Without them: the 28 days up to today. */
export const GovernanceReportInput = z
  .strictObject({ from: Day.optional(), to: Day.optional() })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: 'the period starts after it ends' });

/** A self-contained, printable HTML page. */
export interface HtmlReportFile {
  fileName: string;
  mimeType: 'text/html';
  content: string;
  period: { from: string; to: string };
}

/** Reports for governance meetings. */
export const reportMethods = {
  /** The drift and monitoring state of a period (counts, charts, alerts; no patient data); audited. */
  governanceReport: method(GovernanceReportInput, 'admin').returns<HtmlReportFile>(),
} as const;
