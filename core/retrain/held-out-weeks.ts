import { isoWeekOf } from '../monitoring/iso-week';
import type { TrainingSet } from './training-set';

export interface HeldOutWeeksOptions {
  /** How many of the most recent ISO weeks with labelled production rows to hold out. */
  weeks: number;
  /** Fewest held-out rows, and fewest of each outcome, for figures worth reporting. */
  minRows: number;
  minPerClass: number;
}

export const DEFAULT_HELD_OUT_WEEKS: Readonly<HeldOutWeeksOptions> = Object.freeze({
  weeks: 2,
  minRows: 30,
  minPerClass: 5,
});

export interface HeldOutWeeksSplit {
  /** The held-out ISO weeks, oldest first (empty when there are no labelled production rows). */
  weeks: string[];
  /** Row indices of the held-out weeks and of everything else (original rows and older production rows). */
  heldOut: number[];
  rest: number[];
  positives: number;
  /** Whether the held-out part is large and mixed enough; when not, `reason` says why and nothing is evaluated. */
  usable: boolean;
  reason: string | null;
}

/**
 * Holds out the production rows of the most recent `weeks` ISO weeks that have labelled rows (by the week the patient
 * was screened, as weekly monitoring counts them). A model trained on the rest and scored on them shows what the
 * cross-validation estimate cannot: how it does on the newest patients, where drift shows first.
 */
export function heldOutWeeks(
  set: TrainingSet,
  options: HeldOutWeeksOptions = DEFAULT_HELD_OUT_WEEKS,
): HeldOutWeeksSplit {
  if (!(Number.isInteger(options.weeks) && options.weeks >= 1)) {
    throw new RangeError(`held-out weeks must be an integer >= 1, got ${options.weeks}`);
  }
  const weekOf = set.screenedOn.map((day) => (day === null ? null : isoWeekOf(day)));
  const labelledWeeks = [...new Set(weekOf.filter((w): w is string => w !== null))].sort();
  const weeks = labelledWeeks.slice(-options.weeks);
  const chosen = new Set(weeks);
  const heldOut: number[] = [];
  const rest: number[] = [];
  const outcome = set.table.outcome as Uint8Array;
  let positives = 0;
  weekOf.forEach((week, r) => {
    if (week !== null && chosen.has(week)) {
      heldOut.push(r);
      positives += outcome[r];
    } else rest.push(r);
  });
  const negatives = heldOut.length - positives;
  let reason: string | null = null;
  if (weeks.length === 0) reason = 'there are no labelled production rows to hold out';
  else if (heldOut.length < options.minRows)
    reason = `the most recent ${weeks.length} labelled week(s) (${weeks.join(', ')}) have ${heldOut.length} labelled rows; at least ${options.minRows} are needed`;
  else if (positives < options.minPerClass || negatives < options.minPerClass)
    reason = `the most recent labelled week(s) (${weeks.join(', ')}) have ${positives} diabetic and ${negatives} non-diabetic rows; at least ${options.minPerClass} of each are needed`;
  return { weeks, heldOut, rest, positives, usable: reason === null, reason };
}
