import { describe, expect, test } from 'vitest';
import { checkTransition, FOLLOW_UP_STATUSES, type FollowUpStatus, manualMovesFrom } from './follow-up-status';

// Written out pair by pair, independently of the module's table: every other pair must be refused.
const ALLOWED = new Set([
  'to-review>reviewed',
  'to-review>contacted',
  'to-review>declined',
  'to-review>unreachable',
  'reviewed>reviewed',
  'reviewed>contacted',
  'reviewed>test-ordered',
  'reviewed>result-recorded',
  'reviewed>declined',
  'reviewed>unreachable',
  'contacted>contacted',
  'contacted>test-ordered',
  'contacted>result-recorded',
  'contacted>declined',
  'contacted>unreachable',
  'test-ordered>contacted',
  'test-ordered>result-recorded',
  'test-ordered>declined',
  'test-ordered>unreachable',
  'declined>contacted',
  'declined>test-ordered',
  'unreachable>contacted',
  'unreachable>test-ordered',
]);

describe('follow-up transitions', () => {
  for (const from of FOLLOW_UP_STATUSES) {
    for (const to of FOLLOW_UP_STATUSES) {
      const allowed = ALLOWED.has(`${from}>${to}`);
      test(`${from} -> ${to}: ${allowed ? 'allowed (with a note)' : 'refused'}`, () => {
        const result = checkTransition({ from, to, note: 'called the patient' });
        expect(result.ok).toBe(allowed);
        if (!result.ok) expect(result.rule.length).toBeGreaterThan(10);
      });
    }
  }

  test('reopening a declined or unreachable patient needs a note; other moves do not', () => {
    for (const from of ['declined', 'unreachable'] as const) {
      const refused = checkTransition({ from, to: 'contacted', note: '  ' });
      expect(refused).toEqual({ ok: false, rule: expect.stringContaining('needs a note') });
    }
    expect(checkTransition({ from: 'to-review', to: 'contacted', note: '' })).toEqual({ ok: true });
  });

  test('a recorded result is final, except for a correction with a note', () => {
    expect(checkTransition({ from: 'result-recorded', to: 'contacted', note: 'x' })).toMatchObject({
      ok: false,
      rule: expect.stringContaining('final'),
    });
    expect(checkTransition({ from: 'result-recorded', to: 'result-recorded', note: '' })).toMatchObject({ ok: false });
    expect(
      checkTransition({ from: 'result-recorded', to: 'result-recorded', note: '', correction: true }),
    ).toMatchObject({ ok: false, rule: expect.stringContaining('needs a note') });
    expect(
      checkTransition({
        from: 'result-recorded',
        to: 'result-recorded',
        note: 'lab re-ran the sample',
        correction: true,
      }),
    ).toEqual({ ok: true });
    // A correction is only of a recorded result.
    expect(
      checkTransition({ from: 'test-ordered', to: 'result-recorded', note: 'typo', correction: true }),
    ).toMatchObject({ ok: false });
  });

  test('the manual choices are the allowed moves without the result, which has its own form', () => {
    for (const from of FOLLOW_UP_STATUSES) {
      const expected = FOLLOW_UP_STATUSES.filter(
        (to: FollowUpStatus) => ALLOWED.has(`${from}>${to}`) && to !== 'result-recorded',
      );
      expect(manualMovesFrom(from).sort()).toEqual([...expected].sort());
    }
  });
});
