import { NeuriteError, ShapeError, ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { formatShape, shapesEqual } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { stack } from '../../ops/concat.js';
import { baseOptionsFromConfig, checkBoolean, LayerConfig, read, refuseUnsupported } from '../config.js';
import { CallContext, isShapeList, Layer, LayerOptions, Masks, Shape, Shapes } from '../layer.js';
import { RNNCellBase } from './cell-base.js';
import { layerOptionKeys } from './cell.js';
import { runLoop, sequenceMask, stepMasks } from './loop.js';
import { getRNNFusion, runFused } from './fused.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';
import { describeValue } from '../../util/describe.js';

/** Options of the recurrent loop layers. */
export interface RNNOptions extends LayerOptions {
  /** Return the output of every step `[batch, steps, units]` instead of the last `[batch, units]` (default false). */
  returnSequences?: boolean;
  /** Also return the final states: `applyMulti(x)` gives `[output, ...states]` (default false). */
  returnState?: boolean;
  /** Process the sequence from its last step to its first (default false); outputs stay in processing order. */
  goBackwards?: boolean;
  /** Carry the final states of a batch into the next call (default false); needs a fixed batch size. */
  stateful?: boolean;
  /** Keras's unrolling hint; the loop (fused or per step) is the same either way, so it only round-trips (default false). */
  unroll?: boolean;
  /** Output zeros at masked steps instead of the previous output (default false; Bidirectional sets it). */
  zeroOutputForMask?: boolean;
}

/** The option keys of the loop (beside the layer's). */
export const rnnOptionKeys = [...layerOptionKeys, 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask'] as const;

/** Splits a loop layer's options into the cell's and the loop's, refusing keys neither knows. */
export function splitRNNOptions<T extends object>(options: T, cellKeys: readonly string[], className: string): [Record<string, unknown>, RNNOptions] {
  checkOptionKeys(options, [...new Set([...cellKeys, ...rnnOptionKeys])], className);
  const cell: Record<string, unknown> = {};
  const loop: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if ((rnnOptionKeys as readonly string[]).includes(key)) loop[key] = value;
    else cell[key] = value;
  }
  return [cell, loop as RNNOptions];
}

/** The loop options of a model.json config. */
export function rnnOptionsFromConfig(className: string, config: LayerConfig): RNNOptions {
  refuseUnsupported(className, config, { time_major: false });
  return {
    returnSequences: read(config, 'return_sequences', false),
    returnState: read(config, 'return_state', false),
    goBackwards: read(config, 'go_backwards', false),
    stateful: read(config, 'stateful', false),
    unroll: read(config, 'unroll', false),
    zeroOutputForMask: read(config, 'zero_output_for_mask', false),
  };
}

/** Options of `new RNN({ cell, ... })`, TF.js's form. */
export interface RNNArgs extends RNNOptions {
  cell: RNNCellBase | RNNCellBase[];
}

/**
 * Runs a recurrent cell over `[batch, steps, features]`: the input kernel is applied to all steps in
 * one product, then the cell steps through time. SimpleRNN, LSTM and GRU cells with the common
 * activations run as one fused op (`recurrence`, backpropagation through time in one loop); other
 * cells step by autograd graph (also every cell after `setRNNFusion(false)`).
 * A list of cells is stacked (`StackedRNNCells`). `ctx.mask` `[batch, steps]` skips steps (states
 * carried), `ctx.initialState` (or, as TF.js and Keras graphs pass it, the input list `[x, ...states]`)
 * replaces the zero states, and with `returnState` the result is `[output, ...finalStates]` (use `applyMulti`).
 * @example new RNN(new LSTMCell(8), { returnSequences: true }).apply(zeros([2, 5, 3])).shape; // [2, 5, 8]
 */
export class RNN extends Layer {
  readonly className: string = 'RNN';
  /** The step. */
  readonly cell: RNNCellBase;
  /** Whether every step's output is returned. */
  readonly returnSequences: boolean;
  /** Whether the final states are returned after the output. */
  readonly returnState: boolean;
  /** Whether the sequence is processed backwards. */
  readonly goBackwards: boolean;
  /** Whether states carry over between calls. */
  readonly stateful: boolean;
  /** Keras's unroll flag (kept for the config). */
  readonly unroll: boolean;
  /** Whether masked steps output zeros rather than the previous output. */
  zeroOutputForMask: boolean;
  override supportsMasking = true;
  private stateValues: Tensor[] | null = null;

  /** `className` is for the subclasses (`SimpleRNN`, `LSTM`, `GRU`), which build their own cell. */
  constructor(cell: RNNCellBase | RNNCellBase[] | RNNArgs, options: RNNOptions = {}, className = 'RNN') {
    const args = isArgs(cell) ? cell : { ...options, cell };
    const { cell: given, returnSequences = false, returnState = false, goBackwards = false, stateful = false, unroll = false, zeroOutputForMask = false, ...rest } = args;
    checkOptionKeys(args, ['cell', ...rnnOptionKeys], className);
    super(rest, className);
    const theCell = Array.isArray(given) ? new StackedRNNCells(given) : given;
    if (!(theCell instanceof RNNCellBase)) {
      throw new ValueError(`${this.name} (${className}): expected a recurrent cell (SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells) or a list of them, received ${String(given)}`);
    }
    this.className = className;
    this.cell = theCell;
    this.returnSequences = checkBoolean(returnSequences, `${this.describe()} returnSequences`);
    this.returnState = checkBoolean(returnState, `${this.describe()} returnState`);
    this.goBackwards = checkBoolean(goBackwards, `${this.describe()} goBackwards`);
    this.stateful = checkBoolean(stateful, `${this.describe()} stateful`);
    this.unroll = checkBoolean(unroll, `${this.describe()} unroll`);
    this.zeroOutputForMask = checkBoolean(zeroOutputForMask, `${this.describe()} zeroOutputForMask`);
  }

  /** Builds an RNN (with its nested cell config) from its model.json config. */
  static fromConfig(config: LayerConfig, cellFromConfig: (className: string, config: LayerConfig) => Layer): RNN {
    const options = { ...rnnOptionsFromConfig('RNN', config), ...baseOptionsFromConfig('RNN', config) };
    const cellSpec = config.cell as { class_name?: string; config?: LayerConfig } | undefined;
    if (cellSpec === undefined || cellSpec === null || typeof cellSpec.class_name !== 'string') {
      throw new NeuriteError(`RNN.fromConfig: expected a 'cell' entry { class_name, config }, received ${describeValue(cellSpec)}`);
    }
    const cell = cellFromConfig(cellSpec.class_name, cellSpec.config ?? {});
    if (!(cell instanceof RNNCellBase)) throw new NeuriteError(`RNN.fromConfig: '${cellSpec.class_name}' is not a recurrent cell`);
    return new RNN(cell, options);
  }

  protected override sublayers(): Layer[] {
    return [this.cell];
  }

  /** `[batch, steps, features]` with known features (the cell's, once built) and at least one step; states checked in `call`. */
  protected override checkInputShape(shapes: Shapes): void {
    const shape = sequenceShape(shapes);
    const features = shape[2];
    if (shape.length !== 3 || features === null || shape[1] === 0) {
      throw new ShapeError(`${this.describe()}: expected an input of shape [batch, timesteps >= 1, features], received ${formatShape(shape)}`);
    }
    const built = this.cell.inputFeatures;
    if (built !== null && features !== built) {
      throw new ShapeError(`${this.describe()}: built for ${built} input features, received input of shape ${formatShape(shape)}`);
    }
    const expected = this.stateValues?.[0].shape[0];
    if (expected !== undefined && shape[0] !== null && shape[0] !== expected) {
      throw new ValueError(`${this.describe()}: stateful with batch size ${expected}, received input of shape ${formatShape(shape)}`);
    }
  }

  override build(shapes: Shapes): void {
    const inputShape = sequenceShape(shapes);
    const batch = inputShape[0];
    if (this.stateful && batch === null) {
      throw new NeuriteError(`${this.describe()}: stateful RNNs need a fixed batch size (batchInputShape), received input shape ${formatShape(inputShape)}`);
    }
    this.cell.ensureBuilt([batch, inputShape[2]]);
    if (this.stateful) this.stateValues = this.cell.zeroStates(batch as number);
  }

  computeOutputShape(shapes: Shapes): Shapes {
    const [batch, steps] = sequenceShape(shapes);
    const size = this.cell.outputSize;
    const output: Shape = this.returnSequences ? [batch, steps, size] : [batch, size];
    return this.returnState ? [output, ...this.cell.stateSizes.map((s): Shape => [batch, s])] : output;
  }

  /** The input mask for `returnSequences` (with `returnState`, null for each state); otherwise null. */
  override computeMask(inputs: Tensor | Tensor[], mask: Masks | undefined): Masks {
    void inputs;
    const first = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const output = this.returnSequences ? first : null;
    return this.returnState ? [output, ...this.cell.stateSizes.map(() => null)] : output;
  }

  /** The carried states of a stateful layer (copies), or null. */
  get states(): Tensor[] | null {
    return this.stateValues === null ? null : this.stateValues.map(copy);
  }

  /**
   * Resets a stateful layer's states to zeros, or to `states` (one `[batch, size]` tensor per state,
   * checked before anything changes).
   */
  resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) throw new NeuriteError(`${this.describe()}.resetStates: the layer is not stateful`);
    if (this.stateValues === null) throw new NeuriteError(`${this.describe()}.resetStates: the layer is not built yet; call it on data first`);
    const batch = this.stateValues[0].shape[0];
    if (states === undefined) {
      this.stateValues = this.cell.zeroStates(batch);
      return;
    }
    const list = Array.isArray(states) ? states : [states];
    this.checkStates(list, batch, 'resetStates');
    this.stateValues = list.map(copy);
  }

  /** A state list must hold one `[batch, size]` tensor per state of the cell. */
  private checkStates(states: readonly Tensor[], batch: number, what: string): void {
    const sizes = this.cell.stateSizes;
    if (!Array.isArray(states) || states.length !== sizes.length) {
      throw new ValueError(`${this.describe()} ${what}: expected ${sizes.length} state tensors (shapes ${sizes.map((s) => formatShape([batch, s])).join(', ')}), received ${Array.isArray(states) ? states.length : typeof states}`);
    }
    states.forEach((s, i) => {
      if (!(s instanceof Tensor) || !shapesEqual(s.shape, [batch, sizes[i]])) {
        throw new ShapeError(`${this.describe()} ${what}: state ${i} expected shape ${formatShape([batch, sizes[i]])}, received ${s instanceof Tensor ? formatShape(s.shape) : typeof s}`);
      }
    });
  }

  call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[] {
    const [x, given] = splitInputs(inputs, ctx, this.describe());
    const [batch, steps] = x.shape;
    if (given !== undefined) this.checkStates(given, batch, 'initialState');
    const initial = given ?? this.stateValues ?? this.cell.zeroStates(batch);
    const fused = getRNNFusion() ? this.cell.fused() : null;
    if (fused !== null) {
      const mask = sequenceMask(ctx.mask, batch, steps, this.describe());
      const loop = { goBackwards: this.goBackwards, returnSequences: this.returnSequences, zeroOutputForMask: this.zeroOutputForMask, returnState: this.returnState };
      const result = runFused(fused, x, initial, mask, ctx.training, loop);
      if (this.stateful) this.stateValues = result.states.map(copy);
      return this.returnState ? [result.output, ...result.states] : result.output;
    }
    const masks = stepMasks(ctx.mask, batch, steps, this.describe());
    const pass = this.cell.sequencePass(x, ctx.training);
    const order = this.goBackwards ? -1 : 1;
    const result = runLoop(pass, initial, masks, { steps, order, returnSequences: this.returnSequences, zeroOutputForMask: this.zeroOutputForMask });
    if (this.stateful) this.stateValues = result.states.map(copy);
    const output = this.returnSequences ? stack(result.outputs, 1) : result.last;
    return this.returnState ? [output, ...result.states] : output;
  }

  /** As TF.js writes it: the cell's keys, the loop's keys, and (for the generic RNN) the nested cell. */
  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      ...this.cell.cellConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
    };
    // TF.js has no such key; written only when set, so TF.js-format files stay as TF.js writes them.
    if (this.zeroOutputForMask) config.zero_output_for_mask = true;
    if (this.className === 'RNN') config.cell = { class_name: this.cell.className, config: this.cell.getConfig() };
    return config;
  }
}

/** The sequence's shape of an input that may be `[sequence, ...states]`. */
export function sequenceShape(shapes: Shapes): Shape {
  return isShapeList(shapes) ? shapes[0] : shapes;
}

/** The sequence and the initial states, from `[x, ...states]` or from `ctx.initialState` (not both). */
export function splitInputs(inputs: Tensor | Tensor[], ctx: CallContext, what: string): [Tensor, Tensor[] | undefined] {
  if (!Array.isArray(inputs)) return [inputs, ctx.initialState];
  if (inputs.length > 1 && ctx.initialState !== undefined) {
    throw new ValueError(`${what}: initial states given twice (as extra inputs and as initialState); pass them one way`);
  }
  return [inputs[0], inputs.length > 1 ? inputs.slice(1) : ctx.initialState];
}

/** A detached copy (stateful states must not keep the previous batch's graph alive). */
function copy(t: Tensor): Tensor {
  return new Tensor(Float32Array.from(t.data), t.shape);
}

function isArgs(v: unknown): v is RNNArgs {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Layer) && 'cell' in v;
}
