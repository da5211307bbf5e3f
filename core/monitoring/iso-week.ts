const DAY_MS = 86_400_000;

/**
 * The calendar date (UTC midnight, in ms) of an ISO date or date-time. A string that starts with YYYY-MM-DD is
 * taken at its written calendar date, so a local timestamp such as 2026-03-01T23:30:00+01:00 stays on 1 March
 * (the clinic's day), whatever the machine's time zone.
 */
function calendarDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) throw new RangeError(`not an ISO date: "${date}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const check = new Date(ms);
  if (
    check.getUTCMonth() !== Number(m[2]) - 1 ||
    // Stryker disable next-line ConditionalExpression: a day outside its month also moves the month, caught above
    check.getUTCDate() !== Number(m[3])
  ) {
    throw new RangeError(`not a calendar date: "${date}"`);
  }
  return ms;
}

/** ISO 8601 week of a date, as "YYYY-Www" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(date: string): string {
  const day = calendarDay(date);
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = day + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday of an ISO week ("YYYY-Www") as YYYY-MM-DD. */
export function isoWeekMonday(week: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) throw new RangeError(`not an ISO week: "${week}"`);
  const year = Number(m[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(mondayOfWeek1 + (Number(m[2]) - 1) * 7 * DAY_MS).toISOString().slice(0, 10);
}
