import type { AppConfig } from '../config/app-config';

/**
 * The threading decisions, in a module of their own so that a CLI can take them before it loads the pipeline
 * (threading-plan.ts starts the threads).
 */

/** The config settings that decide threading (config screening.*). */
export type ThreadSettings = Pick<
  AppConfig['screening'],
  'parseThread' | 'storeThread' | 'scoreThread' | 'threadMinBytes' | 'onnxThreads' | 'splitScoring'
>;

/** Which stages of one file's batch run on worker threads. */
export interface ThreadPlan {
  parse: boolean;
  score: boolean;
  store: boolean;
}

export const NO_THREADS: ThreadPlan = { parse: false, score: false, store: false };

/**
 * The one decision, for the CLI, the app (Electron core process and HTTP host) and the benchmarks: true forces a
 * thread on, false off, and 'auto' uses it from threadMinBytes, where the overlap outweighs starting the thread.
 */
export function planThreads(settings: ThreadSettings, fileBytes: number): ThreadPlan {
  const on = (setting: boolean | 'auto') =>
    setting === true || (setting === 'auto' && fileBytes >= settings.threadMinBytes);
  return { parse: on(settings.parseThread), score: on(settings.scoreThread), store: on(settings.storeThread) };
}

/**
 * Whether a process started to screen one file (the screen CLI's --input) opens its model on a score thread from
 * its first moment, before the file's size is known: loading ONNX Runtime there overlaps the whole start-up, which
 * for a small file is most of the run, so the thread pays at any size. Not where the config forces the score thread
 * off or asks for split scoring (a session on each thread).
 */
export function scoreThreadFromStart(settings: ThreadSettings): boolean {
  return settings.scoreThread !== false && !settings.splitScoring;
}
