/** Model versions v{major}.{minor}.{patch}. */
interface SemVer {
  major: number;
  minor: number;
  patch: number;
}

const PATTERN = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseVersion(text: string): SemVer {
  const m = PATTERN.exec(text);
  if (!m) throw new Error(`"${text}" is not a model version of the form v{major}.{minor}.{patch}`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function isVersion(text: string): boolean {
  return PATTERN.test(text);
}

export function formatVersion(v: SemVer): string {
  return `v${v.major}.${v.minor}.${v.patch}`;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

export type Bump = 'major' | 'minor' | 'patch';

export function bumpVersion(text: string, bump: Bump): string {
  const v = parseVersion(text);
  if (bump === 'major') return formatVersion({ major: v.major + 1, minor: 0, patch: 0 });
  if (bump === 'minor') return formatVersion({ major: v.major, minor: v.minor + 1, patch: 0 });
  return formatVersion({ major: v.major, minor: v.minor, patch: v.patch + 1 });
}
