import { describe, expect, test } from 'vitest';
import { bumpVersion, compareVersions, isVersion, parseVersion } from './semver';

describe('model versions', () => {
  test('parse, compare and bump v{major}.{minor}.{patch}', () => {
    expect(parseVersion('v1.10.3')).toEqual({ major: 1, minor: 10, patch: 3 });
    expect(compareVersions('v1.10.0', 'v1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('v2.0.0', 'v2.0.0')).toBe(0);
    expect(bumpVersion('v1.2.3', 'major')).toBe('v2.0.0');
    expect(bumpVersion('v1.2.3', 'minor')).toBe('v1.3.0');
    expect(bumpVersion('v1.2.3', 'patch')).toBe('v1.2.4');
  });

  test('anything else is refused with the text named', () => {
    for (const bad of ['1.0.0', 'v1.0', 'v01.0.0', '20251108_190038', 'v1.0.0-rc1']) expect(isVersion(bad)).toBe(false);
    expect(() => parseVersion('1.0')).toThrow(/"1\.0" is not a model version/);
  });
});
