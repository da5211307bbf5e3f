/** Wall and CPU time per stage of screening one file. */
export interface StageTimings {
  readinessMs: number;
  digestMs: number;
  /** Parse + validate (time spent inside the streaming ingest). */
  parseMs: number;
  preprocessMs: number;
  scoreMs: number;
  categoriseMs: number;
  writeCsvMs: number;
  storeMs: number;
  observeMs: number;
  /** The shadow model's work on this thread: its preprocessing (when it differs), waiting for its scores, categories. */
  shadowMs: number;
  commitMs: number;
  /** The longest the batch held the database's write lock in one transaction (a chunk's rows, or the commit). */
  writeLockMs: number;
  totalMs: number;
  /** CPU time of the process (every thread): totalMs always, each stage with ScreenFileOptions.stageCpu. */
  cpuMs: Partial<Record<Exclude<keyof StageTimings, 'cpuMs'>, number>>;
}

export const emptyTimings = (): StageTimings => ({
  readinessMs: 0,
  digestMs: 0,
  parseMs: 0,
  preprocessMs: 0,
  scoreMs: 0,
  categoriseMs: 0,
  writeCsvMs: 0,
  storeMs: 0,
  observeMs: 0,
  shadowMs: 0,
  commitMs: 0,
  writeLockMs: 0,
  totalMs: 0,
  cpuMs: {},
});
