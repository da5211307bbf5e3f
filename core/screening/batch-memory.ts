/**
 * A batch's own memory: the high-water mark of the process's resident set (every thread, so the parse, score and
 * store workers too) above its level when the batch started. The OS keeps one peak per process, which after a large
 * batch is the same for every later one; sampling during the batch gives each batch its own figure.
 */
export interface BatchMemoryProbe {
  /** Takes a sample now (called between stages, where a busy thread may have starved the timer). */
  sample(): void;
  /** Stops sampling; the peak resident set above the start, in bytes (0 when it never rose). */
  stop(): number;
}

/** How often the timer samples while the event loop is free (chunks are awaited, so it runs during a batch). */
const SAMPLE_INTERVAL_MS = 20;

/**
 * Reading the resident set goes to the kernel and, while the worker threads allocate, can wait on them: the stages
 * of a large batch call sample() far more often than memory can change, so a sample that follows the last within
 * this gap is skipped (stop() always takes one).
 */
export const MIN_SAMPLE_GAP_MS = SAMPLE_INTERVAL_MS;

export function startBatchMemoryProbe(
  rss: () => number = () => process.memoryUsage.rss(),
  clock: () => number = () => performance.now(),
): BatchMemoryProbe {
  const start = rss();
  let peak = start;
  let sampledAt = clock();
  const read = () => {
    sampledAt = clock();
    const now = rss();
    if (now > peak) peak = now;
  };
  const sample = () => {
    if (clock() - sampledAt >= MIN_SAMPLE_GAP_MS) read();
  };
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  // Never keeps a CLI alive on its own.
  timer.unref();
  let stopped = false;
  return {
    sample,
    stop() {
      if (!stopped) {
        read();
        clearInterval(timer);
        stopped = true;
      }
      return peak - start;
    },
  };
}
