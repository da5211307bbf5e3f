import { describe, expect, test } from 'vitest';
import { packIds, unpackIds } from './packed-ids';

describe('packed ids', () => {
  test('any ids come back exactly, the first n only', () => {
    const ids = ['P0000001', '', 'é-ü', '😀x', '=HYPERLINK("a")', 'a,b', 'line\nbreak', '"', 'tail-left-out'];
    const n = ids.length - 1;
    const { idsText, idLengths } = packIds(ids, n);
    expect(idLengths).toHaveLength(n);
    expect(unpackIds(idsText, idLengths)).toEqual(ids.slice(0, n));
  });

  test('lengths that do not cover the text are refused', () => {
    const { idsText, idLengths } = packIds(['abc', 'de'], 2);
    idLengths[1] = 1;
    expect(() => unpackIds(idsText, idLengths)).toThrow('the ids hold 5 characters, their lengths say 4');
  });
});
