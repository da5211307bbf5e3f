import { expect, test } from 'vitest';
import { keepNoteDraft, noteDraft } from './note-drafts';

test('a draft comes back for the same user and patient, and only for them', () => {
  keepNoteDraft('nurse', '3', 'P001', 'Called, no answ');
  expect(noteDraft('nurse', '3', 'P001')).toBe('Called, no answ');
  expect(noteDraft('nurse', '3', 'P002')).toBe('');
  expect(noteDraft('nurse', '4', 'P001')).toBe('');
  keepNoteDraft('nurse', '3', 'P001', '');
  expect(noteDraft('nurse', '3', 'P001')).toBe('');
});

test("another user signing in to the window gets none of the last user's drafts, even after they return", () => {
  keepNoteDraft('nurse', '3', 'P001', 'Letter to send');
  expect(noteDraft('doctor', '3', 'P001')).toBe('');
  expect(noteDraft('nurse', '3', 'P001')).toBe('');
});
