import { describe, expect, it } from 'vitest';
import { formatPValue } from './format-p-value';

describe('formatPValue', () => {
  it('says n/a when a test could not run, floors tiny values and otherwise keeps three decimals', () => {
    expect(formatPValue(null)).toBe('n/a');
    expect(formatPValue(0.000_4)).toBe('< 0.001');
    expect(formatPValue(0.001)).toBe('0.001');
    expect(formatPValue(0.012_34)).toBe('0.012');
    expect(formatPValue(1)).toBe('1.000');
  });
});
