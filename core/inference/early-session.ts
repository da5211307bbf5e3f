import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnnxScorer } from './onnx-session';
import type { ScoreThread } from './worker-scorer';

/** A model's ONNX session being opened on a score thread while the process loads everything else. */
export interface EarlySession {
  /** sha256 of the model.onnx bytes the session was opened from. */
  sha256: string;
  scorer: Promise<OnnxScorer>;
  /** Why opening it failed, once it has (null while it opens, or once open). */
  failure: Error | null;
}

/**
 * Opens the model in `dir` on a score thread started earlier (startScoreThread), before its bundle is loaded and
 * verified as a whole, so that opening the session overlaps the rest of the start-up. Only bytes whose sha256 is
 * the one metadata.json records are opened; whoever adopts the session still checks `sha256` against the verified
 * bundle (load-model.ts does). Null, with the thread released, when anything is off: the bundle's own loading then
 * reports it.
 */
export function openEarlySession(thread: ScoreThread, dir: string, intraOpNumThreads = 1): EarlySession | null {
  let bytes: Uint8Array;
  let sha256: string;
  try {
    const recorded = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'))?.files?.['model.onnx'];
    bytes = readFileSync(join(dir, 'model.onnx'));
    sha256 = createHash('sha256').update(bytes).digest('hex');
    if (typeof recorded !== 'string' || recorded !== sha256) throw new Error('not the recorded model');
  } catch {
    void thread.release();
    return null;
  }
  const session: EarlySession = { sha256, scorer: thread.open(bytes, intraOpNumThreads), failure: null };
  // A failure is reported where the session is adopted (load-model.ts), or by its first request.
  session.scorer.catch((error: Error) => {
    session.failure = error;
  });
  return session;
}

/**
 * The session as a scorer to use at once, open or not: its first request waits for it to open, so that whoever
 * adopts it reads and checks the file meanwhile instead of waiting. A session that failed to open fails every
 * request with its reason, prefixed with `label` (the model file).
 */
export function scorerOpening(session: EarlySession, featureCount: number, label: string): OnnxScorer {
  const open = session.scorer.catch((error: Error) => {
    throw new Error(`${label}: ${error.message}`);
  });
  // Its failure surfaces through the requests; release() must not throw it again.
  open.catch(() => undefined);
  return {
    featureCount,
    concurrent: true,
    async scoreInto(input, rowCount, out, offset) {
      await (await open).scoreInto(input, rowCount, out, offset);
    },
    async release() {
      await (await open.catch(() => null))?.release();
    },
  };
}
