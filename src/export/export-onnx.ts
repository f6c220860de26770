import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import type { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { GraphPlan } from '../graph/topology.js';
import { Layer } from '../layers/layer.js';
import { Model } from '../models/model.js';
import type { SymbolicStructure } from '../models/structure.js';
import { writeFileAtomically } from '../io/atomic-write.js';
import { OnnxBuilder, OnnxExportError } from './builder.js';
import { converters } from './converters.js';
import { emitPlan } from './emit.js';
import { DataType, encodeModel, OnnxValueInfo } from './onnx-proto.js';
import { allNodes, modelGraph } from './trace.js';

/** Options of `exportOnnx` / `toOnnx`. */
export interface OnnxExportOptions {
  /** ONNX operator set of the default domain (13 to 21; default 17). */
  opset?: number;
  /** Leave the batch axis symbolic (`batch`) so any batch size runs (default true). */
  dynamicBatch?: boolean;
  /** The fixed batch size written when `dynamicBatch` is false (default 1). */
  batchSize?: number;
  /** Names of the ONNX graph inputs (default: the model's input names). */
  inputNames?: string[];
  /** Names of the ONNX graph outputs (default: the model's output names). */
  outputNames?: string[];
  /** Subclassed models only: the shape of one input sample (no batch) to trace `call` with. */
  inputShape?: (number | null)[];
}

const MIN_OPSET = 13;
const MAX_OPSET = 21;

/** The IR version each opset was released with (ONNX's versioning table): runtimes check the pair. */
function irVersion(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

function checkNames(names: unknown, count: number, what: string): string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || names.length !== count || !names.every((n) => typeof n === 'string' && n !== '')) {
    throw new ValueError(`exportOnnx: expected ${what} to be ${count} non-empty string(s), received ${JSON.stringify(names)}`);
  }
  if (new Set(names).size !== names.length) throw new ValueError(`exportOnnx: ${what} must be unique, received ${JSON.stringify(names)}`);
  return names as string[];
}

function resolveOptions(options: OnnxExportOptions): Required<Omit<OnnxExportOptions, 'inputNames' | 'outputNames' | 'inputShape'>> {
  checkOptionKeys(options, ['opset', 'dynamicBatch', 'batchSize', 'inputNames', 'outputNames', 'inputShape'], 'exportOnnx');
  const { opset = 17, dynamicBatch = true, batchSize } = options;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new ValueError(`exportOnnx: expected opset to be an integer from ${MIN_OPSET} to ${MAX_OPSET}, received ${JSON.stringify(opset)}`);
  }
  if (typeof dynamicBatch !== 'boolean') throw new ValueError(`exportOnnx: expected dynamicBatch to be a boolean, received ${JSON.stringify(dynamicBatch)}`);
  if (batchSize !== undefined && dynamicBatch) throw new ValueError('exportOnnx: batchSize fixes the batch axis, so it needs dynamicBatch: false');
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize <= 0)) {
    throw new ValueError(`exportOnnx: expected batchSize to be a positive integer, received ${JSON.stringify(batchSize)}`);
  }
  return { opset, dynamicBatch, batchSize: batchSize ?? 1 };
}

/** The converter of a node's layer, or the names of every layer without one. */
function checkSupported(plan: GraphPlan): void {
  const missing = new Set<string>();
  for (const node of allNodes(plan)) {
    const layer = node.operation as Layer;
    if (converters[layer.className] === undefined) missing.add(`'${layer.name}' (${layer.className})`);
  }
  if (missing.size > 0) {
    throw new OnnxExportError(`exportOnnx: no ONNX mapping for layer ${[...missing].join(', ')}; nothing was written`);
  }
}

function valueInfo(name: string, t: SymbolicTensor, batch: number | string): OnnxValueInfo {
  return { name, dataType: DataType.FLOAT, dims: t.shape.map((d, i) => (i === 0 ? batch : d === null ? `${name}_dim${i}` : d)) };
}

/**
 * The bytes of an ONNX model (`ModelProto`) computing what `model.predict` computes: weights as
 * initializers, float32 inputs and outputs in the model's own layouts (channels-last images; integer
 * token ids as float values, as `predict` takes them). Every layer is checked before anything is built.
 * @example
 * const bytes = toOnnx(model, { opset: 17 }); // Uint8Array, an .onnx file's contents
 */
export function toOnnx(model: Model<SymbolicStructure>, options: OnnxExportOptions = {}): Uint8Array {
  if (!(model instanceof Model)) throw new ValueError(`exportOnnx: expected a neurite Model, received ${model === null ? 'null' : typeof model}`);
  const { opset, dynamicBatch, batchSize } = resolveOptions(options);
  if (!model.built) {
    throw new OnnxExportError(`exportOnnx: model '${model.name}' is not built; give its first layer an inputShape or call it on data first`);
  }
  const traced = modelGraph(model, `exportOnnx(${model.name})`, options.inputShape);
  try {
    const { plan } = traced;
    checkSupported(plan);
    const inputNames = checkNames(options.inputNames, plan.inputs.length, 'inputNames') ?? model.inputNames.slice(0, plan.inputs.length);
    const outputNames = checkNames(options.outputNames, plan.outputs.length, 'outputNames') ?? model.outputNames.slice(0, plan.outputs.length);
    const b = new OnnxBuilder(opset);
    for (const n of [...inputNames, ...outputNames]) b.reserve(n);
    const outs = emitPlan(b, plan, { names: inputNames, masks: [] }).names;
    // Identity nodes give the outputs their public names (an output may also be an input or another output).
    outs.forEach((o, i) => b.opTo('Identity', [o], outputNames[i]));
    const batch = dynamicBatch ? 'batch' : batchSize;
    return encodeModel({
      irVersion: irVersion(opset),
      opset,
      producerName: 'neurite',
      producerVersion: '0.1.0',
      graph: {
        name: model.name,
        nodes: b.nodes,
        initializers: b.initializers,
        inputs: plan.inputs.map((t, i) => valueInfo(inputNames[i], t, batch)),
        outputs: plan.outputs.map((t, i) => valueInfo(outputNames[i], t, batch)),
      },
    });
  } finally {
    traced.release();
  }
}

/**
 * Writes `model` as an ONNX file (see `toOnnx`), atomically: the model is converted in memory first,
 * so an unsupported layer or a bad option leaves no file, and a failed write leaves the old one.
 * @example
 * await exportOnnx(model, 'model.onnx'); // then: new ort.InferenceSession('model.onnx') in ONNX Runtime
 */
export async function exportOnnx(model: Model<SymbolicStructure>, path: string, options: OnnxExportOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new ValueError(`exportOnnx: expected a file path, received ${JSON.stringify(path)}`);
  const bytes = toOnnx(model, options);
  await writeFileAtomically(path, bytes, 'exportOnnx');
}
