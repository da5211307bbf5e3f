import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlattCalibration, TreeEnsemble } from '../../core/model/tree';
import type { PreprocessParams } from '../../core/preprocess/pipeline';
import { serialisePreprocessParams } from '../../core/preprocess/pipeline';
import { sha256Hex } from '../../core/registry/bundle';
import type { DriftReference, HashedFile, ModelMetadata } from '../../core/registry/model-metadata';
import { ModelMetadataSchema } from '../../core/registry/model-metadata';
import { exportOnnx } from './onnx-tree-ensemble';

interface BundleContents {
  ensemble: TreeEnsemble;
  calibration: PlattCalibration;
  preprocess: PreprocessParams;
  reference: DriftReference;
  /** Everything in metadata.json except `files` (filled in here from the written bytes); checked by the schema. */
  metadata: Record<string, unknown> & { version: string };
  modelCard: (metadata: ModelMetadata) => string;
}

/** Writes a complete bundle directory; metadata.json is written last and records the sha256 of every file. */
export function writeBundle(dir: string, contents: BundleContents): ModelMetadata {
  mkdirSync(dir, { recursive: true });
  const encoder = new TextEncoder();
  const files: Record<HashedFile, Uint8Array> = {
    'model.onnx': exportOnnx(contents.ensemble, contents.calibration, { modelVersion: contents.metadata.version }),
    'trees.json': encoder.encode(`${JSON.stringify(contents.ensemble)}\n`),
    'preprocessing.json': encoder.encode(serialisePreprocessParams(contents.preprocess)),
    'reference.json': encoder.encode(`${JSON.stringify(contents.reference)}\n`),
  };
  const hashes = {} as Record<HashedFile, string>;
  for (const [name, bytes] of Object.entries(files) as [HashedFile, Uint8Array][]) {
    writeFileSync(join(dir, name), bytes);
    hashes[name] = sha256Hex(bytes);
  }
  const metadata = ModelMetadataSchema.parse({ ...contents.metadata, files: hashes }) as ModelMetadata;
  writeFileSync(join(dir, 'MODEL_CARD.md'), contents.modelCard(metadata));
  writeFileSync(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  return metadata;
}
