import { describe, expect, test } from 'vitest';
import type { InstalledVersion } from '../../registry/installed-versions';
import type { ModelMetadata } from '../../registry/model-metadata';
import { archivable, restorable } from '../../registry/registry-service';
import { promotable } from './model-handlers';

function installed(
  location: InstalledVersion['location'],
  version: string,
  problem: string | null = null,
): InstalledVersion {
  return {
    id: location,
    dir: `/models/${location}`,
    location,
    metadata: { version } as ModelMetadata,
    problem,
    modelCard: null,
  };
}

describe('only valid model actions are offered', () => {
  test('promote only a usable version newer than production', () => {
    expect(promotable(installed('experiment', 'v1.3.1'), 'v1.3.0')).toBe(true);
    expect(promotable(installed('experiment', 'v1.2.9'), 'v1.3.0')).toBe(false);
    expect(promotable(installed('archive', 'v1.3.0'), 'v1.3.0')).toBe(false);
    expect(promotable(installed('experiment', 'v2.0.0', 'unreadable'), 'v1.3.0')).toBe(false);
    expect(promotable(installed('experiment', 'v0.1.0'), null)).toBe(true);
  });

  test('the backup is restored by rollback, never offered for promotion too', () => {
    expect(promotable(installed('production_backup', 'v9.0.0'), 'v1.3.0')).toBe(false);
    expect(promotable(installed('production', 'v1.3.0'), 'v1.3.0')).toBe(false);
  });
});

describe('restore and archive are offered only where they are valid', () => {
  test('restore: only an archived version older than production', () => {
    expect(restorable(installed('archive', 'v1.2.0'), 'v1.3.0')).toBe(true);
    expect(restorable(installed('archive', 'v1.3.0'), 'v1.3.0')).toBe(false);
    expect(restorable(installed('archive', 'v1.4.0'), 'v1.3.0')).toBe(false);
    expect(restorable(installed('experiment', 'v1.2.0'), 'v1.3.0')).toBe(false);
    expect(restorable(installed('production_backup', 'v1.2.0'), 'v1.3.0')).toBe(false);
    expect(restorable(installed('archive', 'v1.2.0', 'unreadable'), 'v1.3.0')).toBe(false);
  });

  test('archive: only experiments, never production or the backup rollback needs', () => {
    expect(archivable(installed('experiment', 'v1.2.0'))).toBe(true);
    for (const location of ['production', 'production_backup', 'archive'] as const)
      expect(archivable(installed(location, 'v1.2.0')), location).toBe(false);
  });
});
