import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape, stridesOf } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { gather } from '../../ops/gather.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { baseOptionsFromConfig, checkBoolean, checkPositiveInt, LayerConfig, read, refuseUnsupported, required } from '../config.js';
import type { ConstraintSpec } from '../../constraints/constraints.js';
import type { RegularizerSpec } from '../../regularizers/regularizers.js';
import { penaltiesConfig, penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from '../penalties.js';
import { Layer, LayerOptions, Mask, Masks, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';

/** Options of `Embedding` besides `inputDim` and `outputDim`. */
export interface EmbeddingOptions extends LayerOptions {
  /** Initializer of the table (default uniform in [−0.05, 0.05], as Keras and TF.js). */
  embeddingsInitializer?: InitializerSpec;
  /** Whether index 0 is padding: the layer then emits a mask that is 0 where the input is 0. */
  maskZero?: boolean;
  /** Length of the input sequences (TF.js's `inputLength`): declares the input shape `[null, inputLength]`. */
  inputLength?: number | readonly number[] | null;
  /** Penalty on the table added to the training loss (`l1`, `l2`, `l1l2`). */
  embeddingsRegularizer?: RegularizerSpec | null;
  /** Penalty on the output. */
  activityRegularizer?: RegularizerSpec | null;
  /** Projection of the table after each optimizer step. */
  embeddingsConstraint?: ConstraintSpec | null;
}

const WEIGHTS = ['embeddings'];
const OWN_OPTIONS = ['embeddingsInitializer', 'maskZero', 'inputLength', ...penaltyOptionKeys(WEIGHTS)];

/** `[sample, position …]` of flat index `i` in a tensor of `shape`, for messages. */
function position(i: number, shape: readonly number[]): string {
  const strides = stridesOf(shape);
  const at = shape.map((_, ax) => Math.floor(i / strides[ax]) % shape[ax]);
  return `sample ${at[0]}${at.length > 1 ? `, position [${at.slice(1).join(', ')}]` : ''}`;
}

/**
 * Turns integer indices into dense vectors: y[..., :] = embeddings[x[...], :]. The input holds
 * integer-valued floats in [0, inputDim); the table `embeddings` is `[inputDim, outputDim]` and its
 * gradient is a scatter-add of dy into the rows that were looked up (repeated indices add up).
 * @example new Embedding(100, 8).apply(tensor([[4, 2, 0]])).shape; // [1, 3, 8]
 */
export class Embedding extends Layer {
  readonly className = 'Embedding';
  /** Size of the vocabulary: the largest index is inputDim − 1. */
  readonly inputDim: number;
  /** Length of each embedding vector. */
  readonly outputDim: number;
  /** Whether index 0 is masked. */
  readonly maskZero: boolean;
  /** Declared sequence length(s), or null. */
  readonly inputLength: number[] | null;
  /** Initializer spec of the table. */
  readonly embeddingsInitializer: InitializerSpec;
  private readonly penalties: WeightPenalties;
  private embeddings: Tensor | null = null;
  /** Whether the declared input shape comes from `inputLength` (TF.js then writes no dtype). */
  private readonly shapeFromLength: boolean;

  constructor(inputDim: number, outputDim: number, options: EmbeddingOptions = {}) {
    checkLayerOptions(options, OWN_OPTIONS, 'Embedding');
    const { embeddingsInitializer = 'random_uniform', maskZero = false, inputLength = null, embeddingsRegularizer, activityRegularizer, embeddingsConstraint, ...base } = options;
    const length = inputLength === null ? null : typeof inputLength === 'number' ? [inputLength] : Array.isArray(inputLength) ? [...inputLength] : null;
    if (inputLength !== null && (length === null || length.length === 0 || !length.every((d) => Number.isInteger(d) && d > 0))) {
      throw new ValueError(`Embedding: expected inputLength to be a positive integer (or a list of them), received ${JSON.stringify(inputLength)}`);
    }
    const declared = base.inputShape === undefined && base.batchInputShape === undefined && length !== null ? { batchInputShape: [null, ...length] } : {};
    super({ ...base, ...declared }, 'Embedding');
    this.penalties = resolvePenalties(WEIGHTS, { embeddingsRegularizer, activityRegularizer, embeddingsConstraint }, this.describe());
    this.activityRegularizer = this.penalties.activity;
    const what = this.describe();
    this.inputDim = checkPositiveInt(inputDim, `${what} inputDim`);
    this.outputDim = checkPositiveInt(outputDim, `${what} outputDim`);
    this.maskZero = checkBoolean(maskZero, `${what} maskZero`);
    checkInitializerSpec(embeddingsInitializer, `${what} embeddingsInitializer`);
    this.embeddingsInitializer = embeddingsInitializer;
    this.inputLength = length;
    this.shapeFromLength = 'batchInputShape' in declared;
    this.supportsMasking = this.maskZero;
  }

  /** Builds an Embedding from its model.json config. */
  static fromConfig(config: LayerConfig): Embedding {
    const options = baseOptionsFromConfig('Embedding', config);
    // TF.js derives batch_input_shape from input_length and then writes no dtype: read that back as
    // inputLength alone, so the config written again is the same.
    const derived = config.input_length !== undefined && config.input_length !== null && (config.dtype === undefined || config.dtype === null);
    if (derived) delete options.batchInputShape;
    refuseUnsupported('Embedding', config, { sparse: false, lora_rank: null });
    return new Embedding(required('Embedding', config, 'input_dim'), required('Embedding', config, 'output_dim'), {
      embeddingsInitializer: read(config, 'embeddings_initializer', 'random_uniform'),
      maskZero: read(config, 'mask_zero', false),
      inputLength: read(config, 'input_length', null),
      ...penaltiesFromConfig(WEIGHTS, config),
      ...options,
    });
  }

  /** Any rank >= 1 (`[batch, …indices]`); a declared inputLength must agree with the input. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length < 1) throw new ShapeError(`${this.describe()}: expected an input of rank >= 1 [batch, …], received ${formatShape(shape)}`);
    const length = this.inputLength;
    if (length !== null && (shape.length !== length.length + 1 || length.some((d, i) => shape[i + 1] !== null && shape[i + 1] !== d))) {
      throw new ShapeError(`${this.describe()}: inputLength ${JSON.stringify(length)} expects inputs of shape ${formatShape([null, ...length])}, received ${formatShape(shape)}`);
    }
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, weightPenalty(this.penalties, 'embeddings'));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  /** Checks every index before the lookup; the message names the sample and the value. */
  private checkIndices(x: Tensor): void {
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i];
      if (!Number.isInteger(v) || v < 0 || v >= this.inputDim) {
        throw new ValueError(
          `${this.describe()}: expected integer indices in [0, ${this.inputDim - 1}] (inputDim ${this.inputDim}), ` +
            `received ${v} at ${position(i, x.shape)} of an input of shape ${formatShape(x.shape)}`,
        );
      }
    }
  }

  call(x: Tensor): Tensor {
    this.checkIndices(x);
    return gather(this.embeddings!, x, 0);
  }

  /** With `maskZero`, 1 where the index is not 0 and 0 where it is (Keras's `x != 0`); otherwise no mask. */
  override computeMask(inputs: Tensor | Tensor[], mask?: Masks): Mask {
    void mask;
    if (!this.maskZero) return null;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return new Tensor(Float32Array.from(x.data, (v) => (v !== 0 ? 1 : 0)), x.shape);
  }

  override getConfig(): Record<string, unknown> {
    const base = super.getConfig();
    if (this.shapeFromLength) delete base.dtype;
    return {
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: serializeInitializer(this.embeddingsInitializer),
      ...penaltiesConfig(WEIGHTS, this.penalties),
      mask_zero: this.maskZero,
      input_length: this.inputLength === null ? null : this.inputLength.length === 1 ? this.inputLength[0] : [...this.inputLength],
      ...base,
    };
  }
}
