import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle, type ModelBundle } from './bundle';
import { compareVersions } from './semver';

/**
 * The models/ directory: production/ (what the app uses), production_backup/ (the previous production),
 * experiments/model_YYYYMMDD_HHMMSS/ (every training run), archive/ (older productions).
 *
 * promote and rollback change production only by renaming whole directories, in steps written first to a
 * journal. A crash at any point leaves either the old or the new production directory intact (never a
 * directory with a mix of files); `recover()` (run before every operation) replays the rest of the journal.
 */
interface RegistryEvent {
  action: 'promote' | 'rollback' | 'recover';
  version?: string;
  previous?: string | null;
}

interface Journal {
  op: 'promote' | 'rollback';
  steps: { from: string; to: string }[];
  /** Steps known to be done; rewritten (atomically) after every rename. */
  done: number;
}

const JOURNAL = '.registry-journal.json';

export class ModelRegistry {
  readonly production: string;
  readonly backup: string;
  readonly experiments: string;
  readonly archive: string;

  constructor(
    readonly root: string,
    private readonly onEvent?: (event: RegistryEvent) => void,
  ) {
    this.production = join(root, 'production');
    this.backup = join(root, 'production_backup');
    this.experiments = join(root, 'experiments');
    this.archive = join(root, 'archive');
  }

  /** A new experiment directory name from a date: model_YYYYMMDD_HHMMSS (UTC). */
  experimentDir(date: Date): string {
    const p = (n: number) => String(n).padStart(2, '0');
    const stamp = `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}_${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
    return join(this.experiments, `model_${stamp}`);
  }

  listExperiments(): string[] {
    if (!existsSync(this.experiments)) return [];
    return readdirSync(this.experiments)
      .filter((d) => d.startsWith('model_'))
      .sort()
      .map((d) => join(this.experiments, d));
  }

  /** The production bundle, verified. */
  async loadProduction(): Promise<ModelBundle> {
    this.recover();
    return loadBundle(this.production);
  }

  /** The version in production/metadata.json, or null when there is no production model. */
  productionVersion(): string | null {
    try {
      return JSON.parse(readFileSync(join(this.production, 'metadata.json'), 'utf8')).version ?? null;
    } catch {
      return null;
    }
  }

  /** Makes a verified bundle the production model; the old production becomes production_backup. */
  async promote(candidateDir: string, options: { allowSameOrOlder?: boolean } = {}): Promise<string> {
    this.recover();
    const candidate = await loadBundle(candidateDir);
    const previous = this.productionVersion();
    if (previous && !options.allowSameOrOlder && compareVersions(candidate.metadata.version, previous) <= 0) {
      throw new Error(
        `cannot promote ${candidate.metadata.version}: production is ${previous} (a promoted model needs a higher version)`,
      );
    }
    const staging = join(this.root, '.staging');
    rmSync(staging, { recursive: true, force: true });
    cpSync(candidateDir, staging, { recursive: true });
    await loadBundle(staging); // the copy is complete and intact before anything moves
    const steps: Journal['steps'] = [];
    if (existsSync(this.backup)) {
      mkdirSync(this.archive, { recursive: true });
      const backupVersion = readVersion(this.backup) ?? 'unknown';
      steps.push({ from: this.backup, to: uniquePath(join(this.archive, backupVersion)) });
    }
    if (existsSync(this.production)) steps.push({ from: this.production, to: this.backup });
    steps.push({ from: staging, to: this.production });
    this.runJournal({ op: 'promote', steps });
    this.onEvent?.({ action: 'promote', version: candidate.metadata.version, previous });
    return candidate.metadata.version;
  }

  /** Swaps production and production_backup (a second rollback undoes the first). */
  async rollback(): Promise<string> {
    this.recover();
    if (!existsSync(this.backup)) throw new Error('cannot roll back: there is no production_backup');
    const backup = await loadBundle(this.backup);
    const previous = this.productionVersion();
    const parked = join(this.root, '.rollback');
    const steps: Journal['steps'] = [];
    if (existsSync(this.production)) steps.push({ from: this.production, to: parked });
    steps.push({ from: this.backup, to: this.production });
    if (existsSync(this.production)) steps.push({ from: parked, to: this.backup });
    this.runJournal({ op: 'rollback', steps });
    this.onEvent?.({ action: 'rollback', version: backup.metadata.version, previous });
    return backup.metadata.version;
  }

  /** Finishes an interrupted promote or rollback; removes a stale staging copy. */
  recover(): void {
    const journalPath = join(this.root, JOURNAL);
    if (existsSync(journalPath)) {
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
      this.applySteps(journal);
      rmSync(journalPath);
      this.onEvent?.({ action: 'recover', version: this.productionVersion() ?? undefined });
    }
    rmSync(join(this.root, '.staging'), { recursive: true, force: true });
  }

  /** Test hook: stop after `steps` renames, as a crash would. */
  crashAfterSteps: number | null = null;

  private writeJournal(journal: Journal): void {
    const journalPath = join(this.root, JOURNAL);
    const tmp = `${journalPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(journal));
    renameSync(tmp, journalPath);
  }

  private runJournal(journal: Omit<Journal, 'done'>): void {
    const full: Journal = { ...journal, done: 0 };
    this.writeJournal(full);
    this.applySteps(full);
    rmSync(join(this.root, JOURNAL));
  }

  /**
   * Renames the steps from `journal.done` on. The first unrecorded step may have happened just before a
   * crash (rename done, journal not yet updated): it is done exactly when its source is gone and its
   * target exists, because no later step has run yet.
   */
  private applySteps(journal: Journal): void {
    let renamed = 0;
    for (let i = journal.done; i < journal.steps.length; i++) {
      const step = journal.steps[i];
      const alreadyDone = !existsSync(step.from) && existsSync(step.to);
      if (!alreadyDone) {
        if (this.crashAfterSteps !== null && renamed >= this.crashAfterSteps) throw new Error('simulated crash');
        renameSync(step.from, step.to);
        renamed++;
      }
      journal.done = i + 1;
      this.writeJournal(journal);
    }
  }
}

function readVersion(dir: string): string | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')).version ?? null;
  } catch {
    return null;
  }
}

function uniquePath(base: string): string {
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}_${i}`)) return `${base}_${i}`;
}
