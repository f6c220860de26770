import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { ActivationFn, ActivationId, ActivationName, canonicalActivation, getActivation } from '../../activations/activations.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { baseOptionsFromConfig, checkBoolean, checkPositiveInt, LayerConfig, noRegularizers, read, refuseUnsupported } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';

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
}

/** Options of the gated cells (LSTM, GRU). */
export interface GatedCellOptions extends CellOptions {
  /** Activation of the gates: Keras 3's `'sigmoid'` (default) or TF.js's `'hard_sigmoid'`. */
  recurrentActivation?: ActivationName | null;
}

/** One recurrent step: the input projection of this step and the states → the new states (output first). */
export type StepFn = (xt: Tensor, states: Tensor[]) => Tensor[];

/** The cell options of a model.json config (shared by cells and their loop layers). */
export function cellOptionsFromConfig(className: string, config: LayerConfig): GatedCellOptions {
  const base = baseOptionsFromConfig(className, config);
  refuseUnsupported(className, config, { ...noRegularizers('kernel', 'recurrent', 'bias'), dropout: 0, recurrent_dropout: 0 });
  const options: GatedCellOptions = {
    activation: read(config, 'activation', 'tanh'),
    useBias: read(config, 'use_bias', true),
    kernelInitializer: read(config, 'kernel_initializer', 'glorot_uniform'),
    recurrentInitializer: read(config, 'recurrent_initializer', 'orthogonal'),
    biasInitializer: read(config, 'bias_initializer', 'zeros'),
    ...base,
  };
  if ('recurrent_activation' in config) options.recurrentActivation = read(config, 'recurrent_activation', 'sigmoid');
  return options;
}

/**
 * One step of a recurrent network, as a layer owning the weights (`kernel [in, k·units]`,
 * `recurrent_kernel [units, k·units]`, `bias`). The loop layer (`RNN`) projects the whole sequence
 * through the input kernel once (`projectInputs`), then calls the `stepper` once per timestep.
 * Called on its own, a cell runs one step from the zero state.
 */
export abstract class RecurrentCell extends Layer {
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
  /** Number of states carried between steps (1, or 2 for LSTM's h and c). */
  abstract readonly stateCount: number;
  protected readonly activationFn: ActivationFn;
  protected kernel: Tensor | null = null;
  protected recurrentKernel: Tensor | null = null;
  protected bias: Tensor | null = null;

  constructor(
    units: number,
    {
      activation = 'tanh',
      useBias = true,
      kernelInitializer = 'glorot_uniform',
      recurrentInitializer = 'orthogonal',
      biasInitializer = 'zeros',
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
  }

  /** Input features the cell was built for, or null before it is built. */
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

  /** x·kernel (+ the input bias) for inputs `[…, features]`, all timesteps in one product: `[…, k·units]`. */
  abstract projectInputs(x: Tensor): Tensor;

  /** A step function for one pass over a sequence; weight slices it needs are taken once, here. */
  abstract stepper(): StepFn;

  /** The zero initial states for a batch. */
  zeroStates(batch: number): Tensor[] {
    return Array.from({ length: this.stateCount }, () => zeros([batch, this.units]));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.units];
  }

  call(x: Tensor): Tensor {
    return this.stepper()(this.projectInputs(x), this.zeroStates(x.shape[0]))[0];
  }

  /** The cell's own config keys (no name / trainable), shared with its loop layer's config. */
  cellConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation,
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      recurrent_initializer: serializeInitializer(this.recurrentInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      ...noRegularizers('kernel', 'recurrent', 'bias'),
      dropout: 0,
      recurrent_dropout: 0,
    };
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
