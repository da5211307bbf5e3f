import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { PlattCalibration, TreeEnsemble } from '../model/tree';
import { type PreprocessParams, parsePreprocessParams } from '../preprocess/pipeline';
import { MODEL_FEATURES } from '../schema/columns';
import { PARSE_ONCE } from '../util/parse-once';
import { type DriftReference, HASHED_FILES, type ModelMetadata, ModelMetadataSchema } from './model-metadata';

export interface ModelBundle {
  dir: string;
  metadata: ModelMetadata;
  preprocess: PreprocessParams;
  ensemble: TreeEnsemble;
  calibration: PlattCalibration;
  reference: DriftReference;
  onnxPath: string;
  onnxBytes: Uint8Array;
}

type BundleErrorCode = 'missing' | 'tampered' | 'invalid';

/** A bundle that must not be used. The message names the file and the problem. */
export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(`model bundle ${file}: ${message}`);
    this.name = 'BundleError';
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readRequired(dir: string, file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(join(dir, file)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BundleError('missing', file, `not found in ${dir}`);
    throw new BundleError('missing', file, `cannot be read (${code ?? String(error)})`);
  }
}

function parseJson(file: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new BundleError('invalid', file, `is not valid JSON (${(error as Error).message})`);
  }
}

const finite = z.number().finite();

/**
 * An array of numbers checked in one loop. A bundle holds tens of thousands of them (every node of every tree, the
 * reference sample), and zod's per-element checks were most of the time it took to load one. The message names the
 * first item that breaks the rule.
 */
function arrayOf<T>(rule: string, ok: (x: unknown) => boolean) {
  return z.custom<T[]>((v) => Array.isArray(v) && v.every(ok), {
    error: (issue) => {
      const v = issue.input;
      if (!Array.isArray(v)) return `must be an array of ${rule}`;
      const i = v.findIndex((x) => !ok(x));
      return `item ${i} (${JSON.stringify(v[i]) ?? String(v[i])}) is not one of ${rule}`;
    },
  });
}
const isNumber = (x: unknown): x is number => typeof x === 'number';
const finiteArray = arrayOf<number>('finite numbers', (x) => isNumber(x) && Number.isFinite(x));
const TreeSchema = z
  .object({
    numLeaves: z.number().int().min(1),
    splitFeature: arrayOf<number>(
      `feature indices (integers 0 to ${MODEL_FEATURES.length - 1})`,
      (x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < MODEL_FEATURES.length,
    ),
    // JSON has no NaN or Infinity: a number here is finite.
    threshold: arrayOf<number>('numbers', isNumber),
    defaultLeft: arrayOf<boolean>('booleans', (x) => typeof x === 'boolean'),
    leftChild: arrayOf<number>('integers', Number.isInteger),
    rightChild: arrayOf<number>('integers', Number.isInteger),
    splitGain: finiteArray,
    internalCount: finiteArray,
    internalHessian: finiteArray,
    internalValue: finiteArray,
    leafValue: finiteArray,
    leafCount: finiteArray,
    leafHessian: finiteArray,
  })
  .refine((t) => {
    const internal = t.numLeaves - 1;
    const nodes = [t.splitFeature, t.threshold, t.defaultLeft, t.leftChild, t.rightChild, t.splitGain];
    const inRange = (c: number) => (c < 0 ? ~c < t.numLeaves : c < internal);
    return (
      nodes.every((a) => a.length === internal) &&
      [t.internalCount, t.internalHessian, t.internalValue].every((a) => a.length === internal) &&
      [t.leafValue, t.leafCount, t.leafHessian].every((a) => a.length === t.numLeaves) &&
      t.leftChild.every(inRange) &&
      t.rightChild.every(inRange)
    );
  }, 'tree arrays have inconsistent lengths or child indices');
const EnsembleSchema = z.object({
  featureNames: z
    .array(z.string())
    .refine((n) => n.length === MODEL_FEATURES.length && n.every((x, i) => x === MODEL_FEATURES[i]), {
      message: `featureNames must be ${MODEL_FEATURES.join(', ')}`,
    }),
  baseScore: finite,
  trees: z.array(TreeSchema).min(1),
});
const ReferenceSchema = z
  .object({
    rowCount: z.number().int().positive(),
    columns: z.object(
      Object.fromEntries(MODEL_FEATURES.map((f) => [f, finiteArray])) as Record<string, typeof finiteArray>,
    ),
  })
  .refine(
    (r) => Object.values(r.columns).every((c) => c.length === r.rowCount),
    'every column must have rowCount values',
  );

function check<T>(file: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value, PARSE_ONCE);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BundleError('invalid', file, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/**
 * Loads a model bundle directory and verifies every sha256 recorded in metadata.json before anything is
 * used: a missing, truncated or edited file is refused with a BundleError.
 */
export async function loadBundle(dir: string): Promise<ModelBundle> {
  // Every file read at once, checked in a fixed order: the first problem named is the same whatever the timing.
  const reads = [readRequired(dir, 'metadata.json'), ...HASHED_FILES.map((file) => readRequired(dir, file))];
  const settled = await Promise.allSettled(reads);
  const bytesOf = (i: number): Uint8Array => {
    const read = settled[i];
    if (read.status === 'rejected') throw read.reason;
    return read.value;
  };
  const metadata = check('metadata.json', ModelMetadataSchema, parseJson('metadata.json', bytesOf(0)));
  const contents = new Map<string, Uint8Array>();
  for (const [i, file] of HASHED_FILES.entries()) {
    const bytes = bytesOf(i + 1);
    const actual = sha256Hex(bytes);
    if (actual !== metadata.files[file]) {
      throw new BundleError(
        'tampered',
        file,
        `sha256 ${actual} does not match ${metadata.files[file]} recorded in metadata.json (file changed or truncated)`,
      );
    }
    contents.set(file, bytes);
  }
  const text = (file: string) => new TextDecoder().decode(contents.get(file));
  let preprocess: PreprocessParams;
  try {
    preprocess = parsePreprocessParams(text('preprocessing.json'));
  } catch (error) {
    throw new BundleError('invalid', 'preprocessing.json', (error as Error).message);
  }
  const ensemble = check(
    'trees.json',
    EnsembleSchema,
    parseJson('trees.json', contents.get('trees.json') as Uint8Array),
  );
  const reference = check(
    'reference.json',
    ReferenceSchema,
    parseJson('reference.json', contents.get('reference.json') as Uint8Array),
  ) as DriftReference;
  return {
    dir,
    metadata,
    preprocess,
    ensemble: ensemble as TreeEnsemble,
    calibration: metadata.calibration,
    reference,
    onnxPath: join(dir, 'model.onnx'),
    onnxBytes: contents.get('model.onnx') as Uint8Array,
  };
}
