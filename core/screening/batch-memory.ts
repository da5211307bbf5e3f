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

export function startBatchMemoryProbe(rss: () => number = () => process.memoryUsage.rss()): BatchMemoryProbe {
  const start = rss();
  let peak = start;
  const sample = () => {
    const now = rss();
    if (now > peak) peak = now;
  };
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  // Never keeps a CLI alive on its own.
  timer.unref();
  let stopped = false;
  return {
    sample,
    stop() {
      if (!stopped) {
        sample();
        clearInterval(timer);
        stopped = true;
      }
      return peak - start;
    },
  };
}
