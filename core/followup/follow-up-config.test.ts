import { describe, expect, test } from 'vitest';
import { ConfigError, parseConfig } from '../config/app-config';

describe('config followUp.overdueDays', () => {
  test('defaults to 30 days and takes a whole number of days', () => {
    expect(parseConfig({}, 'x', '/b').followUp.overdueDays).toBe(30);
    expect(parseConfig({ followUp: { overdueDays: 14 } }, 'x', '/b').followUp.overdueDays).toBe(14);
  });

  test.each([0, 2.5, 400, '30'])('%s is refused, named by its key', (bad) => {
    try {
      parseConfig({ followUp: { overdueDays: bad } }, 'test.json', '/b');
      expect.unreachable('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.path)).toEqual(['followUp.overdueDays']);
    }
  });
});
