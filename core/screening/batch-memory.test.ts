import { expect, test } from 'vitest';
import { startBatchMemoryProbe } from './batch-memory';

test("the probe keeps the highest sample above the batch's start, and stops sampling once stopped", () => {
  const readings = [300, 340, 420, 380, 310, 900];
  let k = 0;
  const probe = startBatchMemoryProbe(() => readings[Math.min(k++, readings.length - 1)]);
  for (let i = 0; i < 3; i++) probe.sample();
  // The final sample (310) is taken by stop(); the 900 after it is never read.
  expect(probe.stop()).toBe(120);
  expect(probe.stop()).toBe(120);
  expect(k).toBe(5);
});

test('a batch that only ever freed memory reports 0, not a negative peak', () => {
  const readings = [500, 450, 400];
  let k = 0;
  const probe = startBatchMemoryProbe(() => readings[Math.min(k++, readings.length - 1)]);
  probe.sample();
  expect(probe.stop()).toBe(0);
});
