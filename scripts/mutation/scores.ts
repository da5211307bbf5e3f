/** Every group must detect at least this share of its non-equivalent mutants. */
export const REQUIRED_SCORE = 0.9;

/** Where Stryker writes one group's JSON report, relative to the repository (reports/ is not committed). */
export function reportFileName(group: string): string {
  return `reports/mutation/${group.replaceAll(/[^a-z0-9]+/gi, '-')}.json`;
}

/** The parts of Stryker's JSON report (mutation-testing-report-schema) that the score needs. */
export interface MutationReport {
  files: Record<string, { mutants: { status: string; statusReason?: string; testsCompleted?: number }[] }>;
}

export interface GroupScore {
  group: string;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  /** Marked equivalent with a Stryker disable comment (its reason is the comment's). */
  ignored: number;
  /** Static mutants (run only while a module loads), which ignoreStatic leaves out. */
  staticIgnored: number;
  /** Detected (killed or timed out) over all valid mutants; ignored (equivalent) and erroring ones left out. */
  score: number | null;
  /**
   * Survivors whose run completed no test: the Vitest runner can report a run that never executed its tests as a
   * survivor under load, so these are not evidence of a gap (they still count as survived here, the cautious side).
   */
  survivedWithoutTests: number;
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
    const counts = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0, Ignored: 0, Static: 0, Untested: 0 } as Record<
      string,
      number
    >;
    for (const [path, file] of Object.entries(report.files)) {
      if (!patterns.some((p) => matchesPattern(path, p))) continue;
      for (const m of file.mutants) {
        if (m.status === 'Ignored' && m.statusReason?.startsWith('Static mutant')) counts.Static++;
        else if (m.status in counts) counts[m.status]++;
        if (m.status === 'Survived' && m.testsCompleted === 0) counts.Untested++;
      }
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
      staticIgnored: counts.Static,
      score: valid === 0 ? null : detected / valid,
      survivedWithoutTests: counts.Untested,
    };
  });
}

export interface GroupRun extends GroupScore {
  /** Wall time of the group's Stryker run; null when only an earlier report was read. */
  seconds: number | null;
}

/** The per-group table as Markdown, as the README's testing section shows it. */
export function formatTable(runs: GroupRun[]): string {
  const lines = [
    '| group | mutants | killed | timed out | survived | no coverage | equivalent (excluded) | static (not run) | score | time |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const r of runs) {
    const total = r.killed + r.timeout + r.survived + r.noCoverage + r.ignored + r.staticIgnored;
    const score = r.score === null ? 'n/a' : `${(Math.floor(r.score * 1000) / 10).toFixed(1)} %`;
    const whole = r.seconds === null ? null : Math.round(r.seconds);
    const time = whole === null ? '' : `${Math.floor(whole / 60)} min ${whole % 60} s`;
    lines.push(
      `| ${r.group} | ${total} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.ignored} | ${r.staticIgnored} | ${score} | ${time} |`,
    );
  }
  return lines.join('\n');
}
