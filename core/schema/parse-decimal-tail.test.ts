import { describe, expect, test } from 'vitest';
import { parseDecimal } from './rules';

// Number() trims line breaks and every Unicode space and reads any separator-free exponent; parseDecimal trims
// only space, tab and no-break space, so what follows a number must be one of those or nothing.
describe('parseDecimal after the digits', () => {
  test.each(['1e3\n', '1e3\r', '1e3\u2003', '2.5e+2\u000b', '148\n', '1E3\u3000'])(
    'a number followed by a character it does not trim (%j) is not a number',
    (text) => {
      expect(parseDecimal(text)).toBeNaN();
    },
  );

  test('with a decimal comma, only a comma or a point separates the decimals', () => {
    for (const text of ['33;6', '33x6', '33 6', '33\u00b76']) expect(parseDecimal(text, true), text).toBeNaN();
    expect(parseDecimal('33.6', true)).toBe(33.6);
  });
});
