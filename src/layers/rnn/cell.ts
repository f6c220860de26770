import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { makeRng, Rng } from '../../util/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { mul } from '../../ops/arithmetic.js';
import { concat } from '../../ops/concat.js';
import { dense } from '../../ops/dense.js';
import { reshape } from '../../ops/reshape.js';
import { slice } from '../../ops/slice.js';
import { zeros } from '../../tensor/creation.js';
import { ActivationFn, ActivationId, ActivationName, canonicalActivation, getActivation } from '../../activations/activations.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { baseOptionsFromConfig, checkBoolean, checkPositiveInt, LayerConfig, noRegularizers, read, refuseUnsupported } from '../config.js';
import { CallContext, LayerOptions, Shape } from '../layer.js';
import { RNNCellBase, SequencePass, StepFn } from './cell-base.js';
import { splitSteps } from './split-steps.js';

export type { StepFn, StepResult } from './cell-base.js';

/** Options every recurrent cell (and its loop layer) accepts. */
export interface CellOptions extends LayerOptions {
  /** Activation of the candidate / output (default `'tanh'`). */
  activation?: ActivationName | null;
  /** Whether to add biases (default true). */
  useBias?: boolean;
  /** Input kernel initializer (default `'glorot_uniform'`). */
  kernelInitializer?: InitializerSpec;
  /** Recurrent kernel initializer (default `'orthogonal'`). */
  recurrentInitializer?: InitializerSpec;
  /** Bias initializer (default `'zeros'`). */
  biasInitializer?: InitializerSpec;
  /** Fraction of the input features dropped in training, one mask per sequence (default 0). */
  dropout?: number;
  /** Fraction of the recurrent state dropped in training, one mask per sequence (default 0). */
  recurrentDropout?: number;
  /** Seed of this cell's dropout-mask stream; without it masks come from the global generator. */
  seed?: number | null;
  /** Keras's `implementation`: 1 draws one dropout mask per gate (as `recurrentDropout > 0` does); 2 (default) one mask. */
  implementation?: 1 | 2 | null;
}

/** Options of the gated cells (LSTM, GRU). */
export interface GatedCellOptions extends CellOptions {
  /** Activation of the gates: Keras 3's `'sigmoid'` (default) or TF.js's `'hard_sigmoid'`. */
  recurrentActivation?: ActivationName | null;
}

/** The option keys every layer takes. */
export const layerOptionKeys = ['name', 'inputShape', 'batchInputShape', 'trainable'] as const;
/** The option keys of `SimpleRNNCell` (the cell options). */
export const cellOptionKeys = [
  ...layerOptionKeys,
  'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer',
  'dropout', 'recurrentDropout', 'seed',
] as const;
/** The option keys of `LSTMCell` / `GRUCell` besides their own one. */
export const gatedCellOptionKeys = [...cellOptionKeys, 'recurrentActivation', 'implementation'] as const;

/** The cell options of a model.json config (shared by cells and their loop layers). */
export function cellOptionsFromConfig(className: string, config: LayerConfig): GatedCellOptions {
  const base = baseOptionsFromConfig(className, config);
  refuseUnsupported(className, config, noRegularizers('kernel', 'recurrent', 'bias'));
  const options: GatedCellOptions = {
    activation: read(config, 'activation', 'tanh'),
    useBias: read(config, 'use_bias', true),
    kernelInitializer: read(config, 'kernel_initializer', 'glorot_uniform'),
    recurrentInitializer: read(config, 'recurrent_initializer', 'orthogonal'),
    biasInitializer: read(config, 'bias_initializer', 'zeros'),
    dropout: read(config, 'dropout', 0),
    recurrentDropout: read(config, 'recurrent_dropout', 0),
    seed: read(config, 'seed', null),
    implementation: read(config, 'implementation', null),
    ...base,
  };
  if ('recurrent_activation' in config) options.recurrentActivation = read(config, 'recurrent_activation', 'sigmoid');
  return options;
}

/** A dropout rate in [0, 1), checked. */
function checkRate(value: unknown, what: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new ValueError(`${what}: expected a rate in [0, 1), received ${JSON.stringify(value)}`);
  return value;
}

/** An inverted-dropout mask: each entry 1/(1 − rate) with probability 1 − rate, else 0. */
function dropoutMask(shape: number[], rate: number, rng: Rng): Tensor {
  const keep = 1 - rate;
  const data = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < data.length; i++) data[i] = rng() < keep ? 1 / keep : 0;
  return new Tensor(data, shape);
}

/** The dropout masks of one call: for the inputs and for the recurrent state, one or one per gate, or null. */
export interface CellMasks {
  input: Tensor[] | null;
  recurrent: Tensor[] | null;
}

/**
 * One step of a recurrent network, as a layer owning the weights (`kernel [in, k·units]`,
 * `recurrent_kernel [units, k·units]`, `bias`). The loop layer (`RNN`) projects the whole sequence
 * through the input kernel once (`projectInputs`), then calls the `stepper` once per timestep.
 * Dropout follows Keras 3: masks are drawn once per call in training (inputs first, then the state);
 * with `recurrentDropout > 0` or `implementation: 1` there is one mask per gate, else one in all.
 * Called on its own, a cell runs one step from the zero state.
 * @example
 * const cell: layers.RecurrentCell = new layers.GRUCell(4);
 * new layers.RNN(cell, { returnSequences: true }).apply(zeros([2, 5, 3])).shape; // [2, 5, 4]
 */
export abstract class RecurrentCell extends RNNCellBase {
  /** Size of the output and of each state. */
  readonly units: number;
  /** Canonical activation id. */
  readonly activation: ActivationId;
  /** Whether biases are added. */
  readonly useBias: boolean;
  /** Input kernel initializer spec. */
  readonly kernelInitializer: InitializerSpec;
  /** Recurrent kernel initializer spec. */
  readonly recurrentInitializer: InitializerSpec;
  /** Bias initializer spec. */
  readonly biasInitializer: InitializerSpec;
  /** Input dropout rate. */
  readonly dropout: number;
  /** Recurrent-state dropout rate. */
  readonly recurrentDropout: number;
  /** Seed of the mask stream, or null. */
  readonly seed: number | null;
  /** Keras's implementation mode as given (null: the default, 2). */
  readonly implementation: 1 | 2 | null;
  /** Number of states carried between steps (1, or 2 for LSTM's h and c). */
  abstract readonly stateCount: number;
  /** Number of gate blocks along the `k·units` axis (SimpleRNN 1, GRU 3, LSTM 4). */
  protected abstract readonly gateCount: number;
  protected readonly activationFn: ActivationFn;
  protected kernel: Tensor | null = null;
  protected recurrentKernel: Tensor | null = null;
  protected bias: Tensor | null = null;
  private readonly seededRng: Rng | null;

  constructor(
    units: number,
    {
      activation = 'tanh',
      useBias = true,
      kernelInitializer = 'glorot_uniform',
      recurrentInitializer = 'orthogonal',
      biasInitializer = 'zeros',
      dropout = 0,
      recurrentDropout = 0,
      seed = null,
      implementation = null,
      ...options
    }: CellOptions,
    className: string,
  ) {
    super(options, className);
    const what = `${this.name} (${className})`;
    this.units = checkPositiveInt(units, `${what} units`);
    this.activation = canonicalActivation(activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = checkBoolean(useBias, `${what} useBias`);
    checkInitializerSpec(kernelInitializer, `${what} kernelInitializer`);
    checkInitializerSpec(recurrentInitializer, `${what} recurrentInitializer`);
    checkInitializerSpec(biasInitializer, `${what} biasInitializer`);
    this.kernelInitializer = kernelInitializer;
    this.recurrentInitializer = recurrentInitializer;
    this.biasInitializer = biasInitializer;
    this.dropout = checkRate(dropout, `${what} dropout`);
    this.recurrentDropout = checkRate(recurrentDropout, `${what} recurrentDropout`);
    if (seed !== null && !Number.isInteger(seed)) throw new ValueError(`${what}: expected an integer seed, received ${JSON.stringify(seed)}`);
    if (implementation !== null && implementation !== 1 && implementation !== 2) {
      throw new ValueError(`${what}: expected implementation 1 or 2, received ${JSON.stringify(implementation)}`);
    }
    this.seed = seed;
    this.implementation = implementation;
    // A seeded cell owns one stream: successive calls draw successive masks, reproducibly.
    this.seededRng = seed === null ? null : makeRng(seed);
  }

  get stateSizes(): readonly number[] {
    return Array.from({ length: this.stateCount }, () => this.units);
  }

  get outputSize(): number {
    return this.units;
  }

  get inputFeatures(): number | null {
    return this.kernel === null ? null : this.kernel.shape[0];
  }

  /** `[batch, features]` with known features, matching the kernel once built. */
  protected override checkInputShape(shape: Shape): void {
    const features = shape[shape.length - 1];
    if (shape.length !== 2 || features === null) {
      throw new ShapeError(`${this.describe()}: expected one step of shape [batch, features], received ${formatShape(shape)}`);
    }
    if (this.kernel !== null && features !== this.kernel.shape[0]) {
      throw new ShapeError(
        `${this.describe()}: built for ${this.kernel.shape[0]} input features (kernel ${formatShape(this.kernel.shape)}), received ${formatShape(shape)}`,
      );
    }
  }

  /** x·kernel (+ the input bias) for inputs `[…, features]`, all timesteps in one product: `[…, k·units]`; `masks` drop input features. */
  abstract projectInputs(x: Tensor, masks?: Tensor[] | null): Tensor;

  /** A step function for one pass over a sequence; weight slices it needs are taken once, here; `masks` drop state entries. */
  abstract stepper(masks?: Tensor[] | null): StepFn;

  /** The dropout masks of one call (null outside training or at rate 0), inputs first as Keras draws them. */
  drawMasks(batch: number, features: number, training: boolean): CellMasks {
    if (!training || (this.dropout === 0 && this.recurrentDropout === 0)) return { input: null, recurrent: null };
    const count = this.implementation === 1 || this.recurrentDropout > 0 ? this.gateCount : 1;
    const rng = this.seededRng ?? makeRng();
    const draw = (rate: number, width: number): Tensor[] | null =>
      rate === 0 ? null : Array.from({ length: count }, () => dropoutMask([batch, width], rate, rng));
    const input = draw(this.dropout, features);
    return { input, recurrent: draw(this.recurrentDropout, this.units) };
  }

  /**
   * x·kernel + bias with the input masks applied: one product for one mask (or none), else one
   * product per gate block on its own masked copy of x, joined along the last axis.
   */
  protected maskedProjection(x: Tensor, bias: Tensor | undefined, masks: Tensor[] | null | undefined): Tensor {
    const kernel = this.kernel!;
    if (masks === null || masks === undefined) return dense(x, kernel, bias);
    const [batch, features] = [x.shape[0], x.shape[x.rank - 1]];
    const maskShape = x.rank === 3 ? [batch, 1, features] : [batch, features];
    const masked = (m: Tensor): Tensor => mul(x, reshape(m, maskShape));
    if (masks.length === 1) return dense(masked(masks[0]), kernel, bias);
    const u = this.units;
    const parts = masks.map((m, g) => {
      const b = bias === undefined ? undefined : slice(bias, [g * u], [u]);
      return dense(masked(m), slice(kernel, [0, g * u], [features, u]), b);
    });
    return concat(parts, x.rank - 1);
  }

  sequencePass(x: Tensor, training: boolean): SequencePass {
    const masks = this.drawMasks(x.shape[0], x.shape[2], training);
    return { inputs: splitSteps(this.projectInputs(x, masks.input)), step: this.stepper(masks.recurrent) };
  }

  rawStepper(batch: number, features: number, training: boolean): StepFn {
    const masks = this.drawMasks(batch, features, training);
    const step = this.stepper(masks.recurrent);
    return (xt, states) => step(this.projectInputs(xt, masks.input), states);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.units];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const step = this.rawStepper(x.shape[0], x.shape[1], ctx.training);
    return step(x, this.zeroStates(x.shape[0])).output;
  }

  /** The cell's own config keys (no name / trainable), shared with its loop layer's config. */
  cellConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      units: this.units,
      activation: this.activation,
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      recurrent_initializer: serializeInitializer(this.recurrentInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      ...noRegularizers('kernel', 'recurrent', 'bias'),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
    };
    // TF.js writes no seed; Keras 3 does. Written only when set, so TF.js-format files stay as TF.js writes them.
    if (this.seed !== null) config.seed = this.seed;
    return config;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.cellConfig() };
  }
}

/** The gate activation of LSTM and GRU cells, checked and resolved. */
export function gateActivation(id: ActivationName | null | undefined): { id: ActivationId; fn: ActivationFn } {
  const canonical = canonicalActivation(id);
  return { id: canonical, fn: getActivation(canonical) };
}
