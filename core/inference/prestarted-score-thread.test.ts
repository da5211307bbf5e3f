import { describe, expect, test } from 'vitest';
import { offerScoreThread, takePrestartedScoreThread } from './prestarted-score-thread';
import type { ScoreThread } from './worker-scorer';

describe('the prestarted score thread', () => {
  test('is taken once, then the slot is empty', () => {
    expect(takePrestartedScoreThread()).toBeNull();
    const thread: ScoreThread = { open: async () => Promise.reject(new Error('unused')), release: async () => {} };
    offerScoreThread(thread);
    expect(takePrestartedScoreThread()).toBe(thread);
    expect(takePrestartedScoreThread()).toBeNull();
  });
});
