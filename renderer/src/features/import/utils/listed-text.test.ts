import { expect, test } from 'vitest';
import { listedText } from './listed-text';

test('a capped list says how many of the total it lists; a full one gives the one count', () => {
  expect(listedText(5000, 10_600)).toBe('5000 of 10600 listed');
  expect(listedText(8, 8)).toBe('8');
  expect(listedText(0, 0)).toBe('0');
});
