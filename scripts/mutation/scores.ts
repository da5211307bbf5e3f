/** The parts of Stryker's JSON report (mutation-testing-report-schema) that the score needs. */
export interface MutationReport {
  files: Record<string, { mutants: { status: string }[] }>;
}

export interface GroupScore {
  group: string;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  ignored: number;
  /** Detected (killed or timed out) over all valid mutants; ignored (equivalent) and erroring ones left out. */
  score: number | null;
}

/** Matches a repo-relative path against one of the groups' patterns (a literal path or `dir/*.ts`). */
export function matchesPattern(path: string, pattern: string): boolean {
  const normalised = path.replaceAll('\\', '/');
  if (!pattern.includes('*')) return normalised === pattern || normalised.endsWith(`/${pattern}`);
  const [dir, tail] = [pattern.slice(0, pattern.lastIndexOf('/')), pattern.slice(pattern.lastIndexOf('/') + 1)];
  const name = normalised.slice(normalised.lastIndexOf('/') + 1);
  const folder = normalised.slice(0, normalised.lastIndexOf('/'));
  const suffix = tail.replace('*', '');
  return (folder === dir || folder.endsWith(`/${dir}`)) && name.endsWith(suffix) && !name.endsWith('.test.ts');
}

export function groupScores(report: MutationReport, groups: Record<string, string[]>): GroupScore[] {
  return Object.entries(groups).map(([group, patterns]) => {
    const counts = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0, Ignored: 0 } as Record<string, number>;
    for (const [path, file] of Object.entries(report.files)) {
      if (!patterns.some((p) => matchesPattern(path, p))) continue;
      for (const m of file.mutants) if (m.status in counts) counts[m.status]++;
    }
    const detected = counts.Killed + counts.Timeout;
    const valid = detected + counts.Survived + counts.NoCoverage;
    return {
      group,
      killed: counts.Killed,
      survived: counts.Survived,
      noCoverage: counts.NoCoverage,
      timeout: counts.Timeout,
      ignored: counts.Ignored,
      score: valid === 0 ? null : detected / valid,
    };
  });
}
