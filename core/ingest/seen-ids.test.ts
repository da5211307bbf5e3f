import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SeenIds } from './seen-ids';

test('reports the first line of a repeated id and nothing for new ones, across growth', () => {
  const seen = new SeenIds();
  const n = 300_000;
  for (let i = 0; i < n; i++) expect(seen.firstLineOrAdd(`P${i}`, i + 2)).toBe(0);
  for (let i = 0; i < n; i += 997) expect(seen.firstLineOrAdd(`P${i}`, n + 10)).toBe(i + 2);
});

test('ids that differ only slightly are different', () => {
  const seen = new SeenIds();
  const ids = ['P1', 'P01', 'p1', 'P1 ', 'P10', 'P1\u0000', '1P', 'Pé1', 'Pe1'];
  for (let i = 0; i < ids.length; i++) expect(seen.firstLineOrAdd(ids[i], i + 2)).toBe(0);
});

test('a size hint only presizes the table: ids beyond it still grow it, and a huge hint is capped', () => {
  const seen = new SeenIds(1_000);
  for (let i = 0; i < 200_000; i++) expect(seen.firstLineOrAdd(`Q${i}`, i + 2)).toBe(0);
  expect(seen.firstLineOrAdd('Q199999', 1)).toBe(200_001);
  // 1e9 expected ids would be 24 GB if believed: the table starts at its cap (4M slots, 48 MB) instead.
  const before = process.memoryUsage().arrayBuffers;
  const big = new SeenIds(1_000_000_000);
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  expect(big.firstLineOrAdd('P1', 2)).toBe(0);
});

test('an ascending run is only logged, and the first id out of order still finds every earlier one', () => {
  const seen = new SeenIds(10);
  for (let i = 0; i < 50_000; i++) expect(seen.firstLineOrAdd(`P${String(i).padStart(7, '0')}`, i + 2)).toBe(0);
  // Equal to the last one: not ascending, and a repeat of line 50,001.
  expect(seen.firstLineOrAdd('P0049999', 60_000)).toBe(50_001);
  expect(seen.firstLineOrAdd('P0000000', 60_001)).toBe(2);
  expect(seen.firstLineOrAdd('A', 60_002)).toBe(0);
  expect(seen.firstLineOrAdd('P0060000', 60_003)).toBe(0);
  expect(seen.firstLineOrAdd('A', 60_004)).toBe(60_002);
});

test('any sequence of ids: the same answers as a plain map of first lines', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5_000 })), { maxLength: 3_000 }),
      fc.boolean(),
      (keys, sortFirst) => {
        // Sorted, the run ascends until its first repeat; unsorted, it stops ascending almost at once.
        const order = sortFirst ? [...keys].sort((x, y) => x - y) : keys;
        const seen = new SeenIds(order.length);
        const first = new Map<string, number>();
        order.forEach((key, i) => {
          const id = `id-${String(key).padStart(5, '0')}`;
          const line = i + 2;
          expect(seen.firstLineOrAdd(id, line)).toBe(first.get(id) ?? 0);
          if (!first.has(id)) first.set(id, line);
        });
      },
    ),
    { numRuns: 200 },
  );
});
