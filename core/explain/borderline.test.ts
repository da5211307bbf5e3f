import { expect, test } from 'vitest';
import { DEFAULT_BORDERLINE_BAND, flagBorderline, isBorderline } from './borderline';

test('scores within the band around the threshold, edges included, are borderline', () => {
  expect(DEFAULT_BORDERLINE_BAND).toBe(0.05);
  expect(Array.from(flagBorderline([0.34, 0.35, 0.4, 0.45, 0.46, 0.9], 0.4))).toEqual([0, 1, 1, 1, 0, 0]);
  expect(isBorderline(0.3, 0.4, 0.1)).toBe(true);
  expect(isBorderline(0.3, 0.4, 0)).toBe(false);
  expect(isBorderline(0.4, 0.4, 0)).toBe(true);
});

test('invalid settings and scores are refused with the value named', () => {
  expect(() => flagBorderline([0.5], 1.2)).toThrow('threshold must be in [0, 1], got 1.2');
  expect(() => flagBorderline([0.5], 0.4, -0.1)).toThrow('borderline band must be in [0, 0.5], got -0.1');
  expect(() => flagBorderline([0.5, Number.NaN], 0.4)).toThrow('score at row 1 is not a probability: NaN');
});
