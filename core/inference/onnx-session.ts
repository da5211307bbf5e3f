import type * as Ort from 'onnxruntime-node';
import { keepOnnxRuntimeOffline } from './onnx-telemetry';

/**
 * The only onnxruntime-node import. One session per model, created once and reused for every chunk.
 * One intra-op thread by default: with two or more, ORT splits the trees of an ensemble between threads and adds
 * the partial sums in another order, so about a fifth of the scores differ in their last bits from a
 * single-threaded run (measured on the production model); one thread makes a score the same wherever and
 * however it is computed, which `screen --verify` relies on. The second core is used by scoring on a worker
 * thread instead (worker-scorer.ts). No spinning, so idle ORT threads never steal a core.
 */

export interface OnnxScorer {
  readonly featureCount: number;
  /** True when scoring runs on another thread, so that this one can work meanwhile (worker-scorer.ts). */
  readonly concurrent?: boolean;
  /**
   * Scores rowCount rows of `input` (float32, row-major [rowCount, featureCount]) and writes the calibrated
   * probability of the positive class into out[offset .. offset + rowCount).
   */
  scoreInto(input: Float32Array, rowCount: number, out: Float64Array | Float32Array, offset?: number): Promise<void>;
  release(): Promise<void>;
}

interface OnnxScorerOptions {
  featureCount: number;
  intraOpNumThreads?: number;
}

export class OnnxModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxModelError';
  }
}

const INPUT = 'input';
const PROBABILITIES = 'probabilities';

/**
 * Loaded on the first session, not with this module: loading the native runtime is a large part of a small batch's
 * start-up, and a process whose sessions all run on score threads never needs it on its main thread.
 */
let runtime: Promise<typeof Ort> | null = null;
function loadOnnxRuntime(): Promise<typeof Ort> {
  runtime ??= (async () => {
    keepOnnxRuntimeOffline();
    return import('onnxruntime-node');
  })();
  return runtime;
}

const sessionOptionsFor = (intraOpNumThreads: number): Ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
});

/**
 * The smallest ONNX model (one Identity node, float[1] in, float[1] out; 70 bytes, built with the exporter's protobuf
 * writer, rebuilt in onnx-session.test.ts). Opening a session of it makes ONNX Runtime set up what every process
 * sets up once, its environment and threads, before the real model is known.
 */
export const WARM_UP_MODEL = Buffer.from(
  'CAg6PAoQCgF4EgF5IghJZGVudGl0eRIGd2FybXVwWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==',
  'base64',
);

/** Loads ONNX Runtime and sets it up with a throwaway session, so that opening the real model costs only its own. */
export async function warmUpOnnxRuntime(): Promise<void> {
  const ort = await loadOnnxRuntime();
  const session = await ort.InferenceSession.create(WARM_UP_MODEL, sessionOptionsFor(1));
  await session.release();
}

export async function createOnnxScorer(model: Uint8Array | string, options: OnnxScorerOptions): Promise<OnnxScorer> {
  const ort = await loadOnnxRuntime();
  const sessionOptions = sessionOptionsFor(options.intraOpNumThreads ?? 1);
  let session: Ort.InferenceSession;
  try {
    session =
      typeof model === 'string'
        ? await ort.InferenceSession.create(model, sessionOptions)
        : await ort.InferenceSession.create(model, sessionOptions);
  } catch (error) {
    throw new OnnxModelError(`the ONNX model could not be loaded: ${(error as Error).message}`);
  }
  if (!session.inputNames.includes(INPUT) || !session.outputNames.includes(PROBABILITIES)) {
    await session.release();
    throw new OnnxModelError(
      `the ONNX model must have input "${INPUT}" and output "${PROBABILITIES}"; it has inputs [${session.inputNames}] and outputs [${session.outputNames}]`,
    );
  }
  const width = options.featureCount;
  return {
    featureCount: width,
    async scoreInto(input, rowCount, out, offset = 0) {
      if (rowCount === 0) return;
      if (input.length < rowCount * width) {
        throw new RangeError(`input holds ${input.length} values, fewer than ${rowCount} rows x ${width} features`);
      }
      const view = input.length === rowCount * width ? input : input.subarray(0, rowCount * width);
      const tensor = new ort.Tensor('float32', view, [rowCount, width]);
      const result = await session.run({ [INPUT]: tensor }, [PROBABILITIES]);
      const probabilities = result[PROBABILITIES];
      const data = probabilities.data as Float32Array;
      if (data.length !== rowCount * 2) {
        throw new OnnxModelError(
          `the model returned ${data.length} probabilities for ${rowCount} rows (expected [N, 2])`,
        );
      }
      for (let i = 0; i < rowCount; i++) out[offset + i] = data[2 * i + 1];
      probabilities.dispose();
    },
    async release() {
      await session.release();
    },
  };
}
