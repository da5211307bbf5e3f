import type { ScoreThread } from './worker-scorer';

/**
 * A score thread started by the CLI launcher before it compiles the CLI's bundle (core/cli/screen-prestart.ts),
 * handed over to that bundle's main(). The two are separate bundles with separate copies of every module, so the
 * one place they share is the process's global object, under a registered symbol.
 */
const SLOT = Symbol.for('glucoscreen.prestartedScoreThread');

type Slot = { [SLOT]?: ScoreThread };

export function offerScoreThread(thread: ScoreThread): void {
  (globalThis as Slot)[SLOT] = thread;
}

/** The prestarted thread, at most once per process: whoever takes it releases it when it is not used. */
export function takePrestartedScoreThread(): ScoreThread | null {
  const slot = globalThis as Slot;
  const thread = slot[SLOT] ?? null;
  delete slot[SLOT];
  return thread;
}
