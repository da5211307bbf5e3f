import { expect, test } from 'vitest';
import { MIN_SAMPLE_GAP_MS, startBatchMemoryProbe } from './batch-memory';

/** A clock that moves only when told to. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test("the probe keeps the highest sample above the batch's start, and stops sampling once stopped", () => {
  const readings = [300, 340, 420, 380, 310, 900];
  let k = 0;
  const clock = manualClock();
  const probe = startBatchMemoryProbe(() => readings[Math.min(k++, readings.length - 1)], clock.now);
  for (let i = 0; i < 3; i++) {
    clock.advance(MIN_SAMPLE_GAP_MS);
    probe.sample();
  }
  // The final sample (310) is taken by stop(); the 900 after it is never read.
  expect(probe.stop()).toBe(120);
  expect(probe.stop()).toBe(120);
  expect(k).toBe(5);
});

test('samples closer together than the gap are skipped, but stop() always reads the last one', () => {
  const readings = [300, 900, 950, 310];
  let k = 0;
  const clock = manualClock();
  const probe = startBatchMemoryProbe(() => readings[Math.min(k++, readings.length - 1)], clock.now);
  clock.advance(MIN_SAMPLE_GAP_MS);
  probe.sample(); // reads 900
  clock.advance(MIN_SAMPLE_GAP_MS / 2);
  probe.sample(); // too soon: 950 is not read here
  probe.sample();
  expect(k).toBe(2);
  // stop() reads whatever is next (950) however soon it comes.
  expect(probe.stop()).toBe(650);
  expect(k).toBe(3);
});

test('a batch that only ever freed memory reports 0, not a negative peak', () => {
  const readings = [500, 450, 400];
  let k = 0;
  const clock = manualClock();
  const probe = startBatchMemoryProbe(() => readings[Math.min(k++, readings.length - 1)], clock.now);
  clock.advance(MIN_SAMPLE_GAP_MS);
  probe.sample();
  expect(probe.stop()).toBe(0);
});
