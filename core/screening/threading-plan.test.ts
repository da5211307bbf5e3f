import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../config/app-config';
import { NO_THREADS, planThreads, scoreThreadFromStart, type ThreadSettings } from './threading-plan';

const settings = (over: Partial<ThreadSettings> = {}): ThreadSettings => ({
  ...defaultConfig().screening,
  threadMinBytes: 1_000,
  ...over,
});

describe('planThreads', () => {
  test('by default: score and store threads from threadMinBytes on, the parse thread off', () => {
    expect(planThreads(settings(), 999)).toEqual(NO_THREADS);
    expect(planThreads(settings(), 1_000)).toEqual({ parse: false, score: true, store: true });
  });

  test('true and false override the size; auto follows it', () => {
    const forced = settings({ parseThread: true, scoreThread: true, storeThread: true });
    expect(planThreads(forced, 0)).toEqual({ parse: true, score: true, store: true });
    const off = settings({ parseThread: false, scoreThread: false, storeThread: false });
    expect(planThreads(off, 1e12)).toEqual(NO_THREADS);
    const auto = settings({ parseThread: 'auto', scoreThread: 'auto', storeThread: 'auto' });
    expect(planThreads(auto, 999)).toEqual(NO_THREADS);
    expect(planThreads(auto, 1_000)).toEqual({ parse: true, score: true, store: true });
    expect(planThreads(settings({ parseThread: 'auto', threadMinBytes: 0 }), -1)).toEqual(NO_THREADS);
  });
});

describe('scoreThreadFromStart', () => {
  test('by default and when forced on, yes; not when the score thread is forced off or scoring is split', () => {
    expect(scoreThreadFromStart(settings())).toBe(true);
    expect(scoreThreadFromStart(settings({ scoreThread: true }))).toBe(true);
    expect(scoreThreadFromStart(settings({ scoreThread: false }))).toBe(false);
    expect(scoreThreadFromStart(settings({ splitScoring: true }))).toBe(false);
  });
});
