import type { PlattCalibration, TreeEnsemble } from '../../core/model/tree';
import { ProtoWriter } from './protobuf-writer';

/**
 * Writes a TreeEnsemble as an ONNX ai.onnx.ml TreeEnsembleClassifier: input `input` float32 [N, F],
 * outputs `label` int64 [N] and `probabilities` float32 [N, 2] = [1 - p, p], no ZipMap.
 * The Platt calibration is baked in: leaf weights x slope, base value slope x baseScore + intercept, and
 * post_transform LOGISTIC, so p = sigmoid(slope x margin + intercept).
 * Field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto).
 */

const IR_VERSION = 8;
const DEFAULT_OPSET = 15;
const ML_OPSET = 3;
const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

type Attribute =
  | { name: string; kind: 'ints'; values: number[] }
  | { name: string; kind: 'floats'; values: number[] }
  | { name: string; kind: 'strings'; values: string[] }
  | { name: string; kind: 'string'; value: string };

function writeAttribute(w: ProtoWriter, a: Attribute): void {
  w.string(1, a.name);
  switch (a.kind) {
    case 'ints':
      w.int(20, ATTR.INTS).packedInts(8, a.values);
      break;
    case 'floats':
      w.int(20, ATTR.FLOATS).packedFloats(7, a.values);
      break;
    case 'strings':
      w.int(20, ATTR.STRINGS);
      for (const s of a.values) w.string(9, s);
      break;
    case 'string':
      w.int(20, ATTR.STRING).string(4, a.value);
      break;
  }
}

function writeValueInfo(w: ProtoWriter, name: string, elemType: number, dims: (number | string)[]): void {
  w.string(1, name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, elemType);
      tensor.message(2, (shape) => {
        for (const d of dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

interface OnnxExportOptions {
  /** Recorded as the graph's doc string / producer version (e.g. the model version). */
  modelVersion?: string;
}

/** Float32 parameters of the calibrated ensemble, as ONNX will use them (exposed for the parity test). */
function calibratedLeafWeights(ensemble: TreeEnsemble, calibration: PlattCalibration) {
  return {
    base: Math.fround(calibration.slope * ensemble.baseScore + calibration.intercept),
    leaves: ensemble.trees.map((t) => t.leafValue.map((v) => Math.fround(v * calibration.slope))),
  };
}

export function exportOnnx(
  ensemble: TreeEnsemble,
  calibration: PlattCalibration,
  options: OnnxExportOptions = {},
): Uint8Array {
  const numFeatures = ensemble.featureNames.length;
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const classTreeIds: number[] = [];
  const classNodeIds: number[] = [];
  const classIds: number[] = [];
  const classWeights: number[] = [];
  const { base, leaves } = calibratedLeafWeights(ensemble, calibration);

  ensemble.trees.forEach((tree, t) => {
    const internal = tree.numLeaves - 1;
    // Internal nodes keep their index; leaf k becomes node internal + k.
    const id = (child: number) => (child < 0 ? internal + ~child : child);
    for (let n = 0; n < internal; n++) {
      const threshold = tree.threshold[n];
      if (Math.fround(threshold) !== threshold && Number.isFinite(threshold)) {
        throw new Error(`tree ${t} node ${n}: threshold ${threshold} is not float32-representable`);
      }
      treeIds.push(t);
      nodeIds.push(n);
      featureIds.push(tree.splitFeature[n]);
      modes.push('BRANCH_LEQ');
      values.push(threshold);
      trueIds.push(id(tree.leftChild[n]));
      falseIds.push(id(tree.rightChild[n]));
      missingTrue.push(tree.defaultLeft[n] ? 1 : 0);
    }
    for (let k = 0; k < tree.numLeaves; k++) {
      treeIds.push(t);
      nodeIds.push(internal + k);
      featureIds.push(0);
      modes.push('LEAF');
      values.push(0);
      trueIds.push(0);
      falseIds.push(0);
      missingTrue.push(0);
      classTreeIds.push(t);
      classNodeIds.push(internal + k);
      // Binary classifier with one score column: ORT reports [1 - p, p] when every weight goes to class id 0.
      classIds.push(0);
      classWeights.push(leaves[t][k]);
    }
  });

  const attributes: Attribute[] = [
    { name: 'base_values', kind: 'floats', values: [base] },
    { name: 'class_ids', kind: 'ints', values: classIds },
    { name: 'class_nodeids', kind: 'ints', values: classNodeIds },
    { name: 'class_treeids', kind: 'ints', values: classTreeIds },
    { name: 'class_weights', kind: 'floats', values: classWeights },
    { name: 'classlabels_int64s', kind: 'ints', values: [0, 1] },
    { name: 'nodes_falsenodeids', kind: 'ints', values: falseIds },
    { name: 'nodes_featureids', kind: 'ints', values: featureIds },
    { name: 'nodes_missing_value_tracks_true', kind: 'ints', values: missingTrue },
    { name: 'nodes_modes', kind: 'strings', values: modes },
    { name: 'nodes_nodeids', kind: 'ints', values: nodeIds },
    { name: 'nodes_treeids', kind: 'ints', values: treeIds },
    { name: 'nodes_truenodeids', kind: 'ints', values: trueIds },
    { name: 'nodes_values', kind: 'floats', values },
    { name: 'post_transform', kind: 'string', value: 'LOGISTIC' },
  ];

  const model = new ProtoWriter();
  model.int(1, IR_VERSION);
  model.string(2, 'glucoscreen-training');
  model.string(3, options.modelVersion ?? '');
  model.message(7, (graph) => {
    graph.message(1, (node) => {
      node.string(1, 'input');
      node.string(2, 'label');
      node.string(2, 'probabilities');
      node.string(3, 'tree_ensemble');
      node.string(4, 'TreeEnsembleClassifier');
      for (const a of attributes) node.message(5, (w) => writeAttribute(w, a));
      node.string(7, 'ai.onnx.ml');
    });
    graph.string(2, 'glucoscreen_risk');
    graph.string(10, `features: ${ensemble.featureNames.join(', ')}`);
    graph.message(11, (w) => writeValueInfo(w, 'input', FLOAT, ['N', numFeatures]));
    graph.message(12, (w) => writeValueInfo(w, 'label', INT64, ['N']));
    graph.message(12, (w) => writeValueInfo(w, 'probabilities', FLOAT, ['N', 2]));
  });
  model.message(8, (w) => w.string(1, '').int(2, DEFAULT_OPSET));
  model.message(8, (w) => w.string(1, 'ai.onnx.ml').int(2, ML_OPSET));
  return model.finish();
}
