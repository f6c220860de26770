import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { GraphNode } from '../graph/node.js';
import { SymbolicDType, SymbolicTensor } from '../graph/symbolic-tensor.js';
import { LayerConfig } from './config.js';
import { Layer, Shape } from './layer.js';

/** Options of `Input` (and of `InputLayer`). */
export interface InputOptions {
  /** Shape of one sample, without the batch (`null` for a free length, e.g. sequence steps). */
  shape?: readonly (number | null)[];
  /** A fixed batch size; the batch stays free (`null`) when omitted. */
  batchSize?: number;
  /** The full shape with the batch, instead of `shape` + `batchSize`. */
  batchShape?: readonly (number | null)[];
  /** `'float32'` (default) or `'int32'` for integer inputs (token ids); values are stored as float32. */
  dtype?: SymbolicDType;
  name?: string;
}

const KNOWN = ['shape', 'batchSize', 'batchShape', 'dtype', 'name'];

function checkShape(shape: unknown, what: string): (number | null)[] {
  if (!Array.isArray(shape) || shape.length > 64 || shape.some((d) => d !== null && (!Number.isSafeInteger(d) || d <= 0))) {
    throw new ValueError(`Input: expected ${what} to be an array of positive integers or null, received ${String(shape).slice(0, 80)}`);
  }
  return shape as (number | null)[];
}

/**
 * The source of a graph model's input (Keras's `InputLayer`): it holds the input's shape and dtype and
 * makes the symbolic tensor that `Input` returns. On real tensors it passes them through.
 * @example
 * const input = Input({ shape: [4] });
 * new Model({ inputs: input, outputs: new Dense(1).apply(input) }).layers[0] instanceof layers.InputLayer; // true
 */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  /** The full input shape, batch first. */
  readonly inputBatchShape: Shape;
  /** The dtype of the input. */
  readonly dtype: SymbolicDType;

  constructor(options: InputOptions = {}) {
    checkOptionKeys(options, KNOWN, 'Input');
    const { shape, batchSize, batchShape, dtype = 'float32', name } = options;
    if ((shape === undefined) === (batchShape === undefined)) {
      throw new ValueError(`Input: expected exactly one of 'shape' (one sample) or 'batchShape', received ${shape === undefined ? 'neither' : 'both'}`);
    }
    if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize <= 0 || batchShape !== undefined)) {
      throw new ValueError(`Input: expected batchSize to be a positive integer used with 'shape', received ${String(batchSize)}`);
    }
    if (dtype !== 'float32' && dtype !== 'int32') throw new ValueError(`Input: expected dtype 'float32' or 'int32', received ${String(dtype)}`);
    const full = batchShape !== undefined ? checkShape(batchShape, 'batchShape') : [batchSize ?? null, ...checkShape(shape, 'shape')];
    if (full.length === 0) throw new ValueError('Input: expected a batch axis in batchShape, received []');
    super({ name }, 'InputLayer');
    this.inputBatchShape = [...full];
    this.dtype = dtype;
    this.built = true;
    this.builtInputShape = [...full];
    const node = new GraphNode(this, [], { inputIsList: false, initialStates: 0 });
    node.outputs = [new SymbolicTensor(full, dtype, node, 0)];
    this.inboundNodes.push(node);
  }

  /** Builds an InputLayer from its model.json config (Keras 2 / TF.js `batch_input_shape`, Keras 3 `batch_shape`). */
  static fromConfig(config: LayerConfig): InputLayer {
    const shape = config.batch_input_shape ?? config.batch_shape ?? config.batchInputShape ?? config.batchShape;
    if (!Array.isArray(shape)) {
      throw new ValueError(`InputLayer.fromConfig: expected batch_input_shape (or Keras 3's batch_shape), received ${JSON.stringify(config).slice(0, 120)}`);
    }
    for (const key of ['sparse', 'ragged']) {
      if (config[key] !== undefined && config[key] !== null && config[key] !== false) {
        throw new ValueError(`InputLayer.fromConfig: '${key}' inputs are not supported, received ${JSON.stringify(config[key])}`);
      }
    }
    const raw = config.dtype;
    const dtype = raw !== null && typeof raw === 'object' ? (raw as { config?: { name?: unknown } }).config?.name : raw;
    if (dtype !== undefined && dtype !== null && dtype !== 'float32' && dtype !== 'int32' && dtype !== 'int64') {
      throw new ValueError(`InputLayer.fromConfig: expected dtype 'float32' or 'int32', received ${JSON.stringify(dtype)}`);
    }
    return new InputLayer({
      batchShape: shape as (number | null)[],
      dtype: dtype === 'int32' || dtype === 'int64' ? 'int32' : 'float32',
      name: typeof config.name === 'string' ? config.name : undefined,
    });
  }

  /** The symbolic tensor this layer produces. */
  get symbolic(): SymbolicTensor {
    return this.inboundNodes[0].outputs[0];
  }

  override getConfig(): Record<string, unknown> {
    return { batch_input_shape: [...this.inputBatchShape], dtype: this.dtype, sparse: false, name: this.name };
  }

  override outputDType(): SymbolicDType {
    return this.dtype;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  call(x: Tensor): Tensor {
    return x;
  }
}

/**
 * A graph model's input: a symbolic tensor of `shape` (batch `null`) to apply layers to.
 * @example
 * const x = Input({ shape: [30] });
 * const y = new Dense(1, { activation: 'sigmoid' }).apply(new Dense(16, { activation: 'relu' }).apply(x));
 * const model = new Model({ inputs: x, outputs: y });
 */
export function Input(options: InputOptions): SymbolicTensor {
  return new InputLayer(options).symbolic;
}
