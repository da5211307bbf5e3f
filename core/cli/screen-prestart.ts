import { offerScoreThread } from '../inference/prestarted-score-thread';
import { startScoreThread } from '../inference/worker-scorer';
import { MODEL_FEATURES } from '../schema/columns';
import { parse } from './screen-args';

/**
 * Run by scripts/run-cli.cjs before it compiles the screen bundle: a run that screens one file (--input) starts its
 * score thread here, so that loading ONNX Runtime overlaps the bundle's compilation as well as the rest of the
 * start-up. screen.ts's main() takes the thread (or starts its own when there is none) and releases it whenever it
 * does not use it, so a guess here that turns out wrong (a usage error found later) costs nothing but the thread.
 */
export function prestart(args: string[]): void {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch {
    // main() reports the usage error.
    return;
  }
  if (parsed.help || parsed.input === undefined) return;
  offerScoreThread(startScoreThread(MODEL_FEATURES.length));
}
