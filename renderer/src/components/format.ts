export function formatScore(score: number): string {
  return `${(score * 100).toFixed(1)} %`;
}

export function formatNumber(value: number | null, digits = 0): string {
  return value === null ? '—' : value.toFixed(digits);
}

/** A measurement as recorded: whole numbers as such, others with one decimal (7.2 must not read as 7). */
export function formatMeasure(value: number | null): string {
  if (value === null) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** ISO timestamps inside a message (from main) shown in local time, like every other time in the app. */
export function localiseTimes(message: string): string {
  return message.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (iso) => formatDateTime(iso));
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "1 patient", "0 patients", "2 patients". */
export function pluralPatients(n: number): string {
  return `${n} ${n === 1 ? 'patient' : 'patients'}`;
}
