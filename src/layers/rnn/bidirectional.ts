import { NeuriteError, ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/arithmetic.js';
import { concat } from '../../ops/concat.js';
import { gather } from '../../ops/gather.js';
import { baseOptionsFromConfig, LayerConfig, refuseUnsupported } from '../config.js';
import { ApplyOptions, CallContext, Layer, LayerOptions, LayerWeight, Masks, Shape, Shapes } from '../layer.js';
import { layerFromConfig } from '../serialization.js';
import { layerOptionKeys } from './cell.js';
import { RNN, sequenceShape, splitInputs } from './rnn.js';

/** How the two directions' outputs are combined; null returns both. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

const mergeModes: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/** Options of `Bidirectional` besides the layer. */
export interface BidirectionalOptions extends LayerOptions {
  /** `'concat'` (default), `'sum'`, `'mul'`, `'ave'`, or null for the two outputs `[forward, backward]`. */
  mergeMode?: MergeMode;
  /** The backward RNN (default: a copy of `layer` running the other way), as Keras's `backward_layer`. */
  backwardLayer?: RNN;
  /** Initial weights: the forward layer's, then the backward layer's, set when the layer is built. */
  weights?: Tensor[];
}

/** A fresh RNN from `layer`'s config with some keys replaced (Keras and TF.js clone through the config too). */
function cloneRNN(layer: RNN, overrides: LayerConfig): RNN {
  const clone = layerFromConfig(layer.className, { ...layer.getConfig(), ...overrides });
  return clone as RNN;
}

/**
 * Runs a recurrent layer over the sequence both ways and merges the two results (Keras's
 * `Bidirectional`). The backward layer's sequence output is flipped back to input order before
 * merging; with `returnState` the result is `[output(s)…, ...forwardStates, ...backwardStates]`, and
 * `initialState` (or the input list `[x, ...states]`) takes the forward states then the backward ones. Weights: forward's, then backward's,
 * named `forward_<layer>/…` and `backward_<layer>/…` as TF.js saves them. With a mask and
 * `returnSequences`, masked steps output zeros (Keras forces this inside Bidirectional).
 * @example new Bidirectional(new LSTM(4, { returnSequences: true })).apply(zeros([2, 5, 3])).shape; // [2, 5, 8]
 */
export class Bidirectional extends Layer {
  readonly className = 'Bidirectional';
  /** The forward-running copy of the wrapped layer. */
  readonly forwardLayer: RNN;
  /** The backward-running layer. */
  readonly backwardLayer: RNN;
  /** How outputs are merged. */
  readonly mergeMode: MergeMode;
  override supportsMasking = true;
  private readonly layerSpec: { class_name: string; config: Record<string, unknown> };
  private readonly customBackward: boolean;
  private initialWeights: Tensor[] | null;

  constructor(layer: RNN, options: BidirectionalOptions = {}) {
    checkOptionKeys(options, [...layerOptionKeys, 'mergeMode', 'backwardLayer', 'weights'], 'Bidirectional');
    const { mergeMode = 'concat', backwardLayer, weights, ...rest } = options;
    super(rest, 'Bidirectional');
    if (!(layer instanceof RNN)) {
      throw new ValueError(`${this.describe()}: expected a recurrent layer (SimpleRNN, LSTM, GRU, RNN) to wrap, received ${describeValue(layer)}`);
    }
    if (!mergeModes.includes(mergeMode)) {
      throw new ValueError(`${this.describe()}: expected mergeMode 'concat', 'sum', 'mul', 'ave' or null, received ${JSON.stringify(mergeMode)}`);
    }
    if (weights !== undefined && (!Array.isArray(weights) || weights.some((w) => !(w instanceof Tensor)))) {
      throw new ValueError(`${this.describe()}: expected weights to be an array of Tensors, received ${typeof weights}`);
    }
    if (backwardLayer !== undefined) checkBackward(this.describe(), layer, backwardLayer);
    this.mergeMode = mergeMode;
    this.layerSpec = { class_name: layer.className, config: layer.getConfig() };
    const base = layer.name.replace(/^forward_/, '');
    this.forwardLayer = cloneRNN(layer, { name: `forward_${base}` });
    this.backwardLayer = backwardLayer ?? cloneRNN(layer, { name: `backward_${base}`, go_backwards: !layer.goBackwards });
    this.customBackward = backwardLayer !== undefined;
    // Keras forces zero outputs at masked steps when sequences are returned, so both directions align.
    this.forwardLayer.zeroOutputForMask = layer.returnSequences;
    this.backwardLayer.zeroOutputForMask = layer.returnSequences;
    this.initialWeights = weights === undefined ? null : [...weights];
  }

  /** Builds a Bidirectional from its model.json config (`layer`, `merge_mode`, Keras's optional `backward_layer`). */
  static fromConfig(config: LayerConfig): Bidirectional {
    refuseUnsupported('Bidirectional', config, { num_constants: null });
    const inner = (key: string): RNN | undefined => {
      const spec = config[key] as { class_name?: string; config?: LayerConfig } | undefined | null;
      if (spec === undefined || spec === null) return undefined;
      if (typeof spec.class_name !== 'string') throw new NeuriteError(`Bidirectional.fromConfig: expected '${key}' to be { class_name, config }, received ${JSON.stringify(spec)}`);
      const built = layerFromConfig(spec.class_name, spec.config ?? {});
      if (!(built instanceof RNN)) throw new NeuriteError(`Bidirectional.fromConfig: '${key}' is a ${spec.class_name}, not a recurrent layer`);
      return built;
    };
    const layer = inner('layer');
    if (layer === undefined) throw new NeuriteError("Bidirectional.fromConfig: the config has no 'layer'");
    const mergeMode = ('merge_mode' in config ? config.merge_mode : 'concat') as MergeMode;
    return new Bidirectional(layer, { mergeMode, backwardLayer: inner('backward_layer'), ...baseOptionsFromConfig('Bidirectional', config) });
  }

  /** Whether sequences (not last outputs) are returned, as the wrapped layer. */
  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  /** Whether final states follow the output, as the wrapped layer. */
  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  /** Whether the wrapped layers carry states between calls. */
  get stateful(): boolean {
    return this.forwardLayer.stateful;
  }

  protected override sublayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  /** Forward weights then backward weights, each under its layer's name. */
  override namedWeights(): LayerWeight[] {
    return [this.forwardLayer, this.backwardLayer].flatMap((l) => l.namedWeights().map((w) => ({ ...w, name: `${l.name}/${w.name}` })));
  }

  override build(shapes: Shapes): void {
    const inputShape = sequenceShape(shapes);
    this.forwardLayer.ensureBuilt(inputShape);
    this.backwardLayer.ensureBuilt(inputShape);
    if (this.initialWeights !== null) {
      const n = this.forwardLayer.namedWeights().length;
      const all = this.initialWeights;
      if (all.length !== n + this.backwardLayer.namedWeights().length) {
        throw new ValueError(`${this.describe()}: expected ${n + this.backwardLayer.namedWeights().length} initial weights (forward then backward), received ${all.length}`);
      }
      this.forwardLayer.setWeights(all.slice(0, n));
      this.backwardLayer.setWeights(all.slice(n));
      this.initialWeights = null;
    }
  }

  computeOutputShape(shapes: Shapes): Shapes {
    const inner = this.forwardLayer.computeOutputShape(sequenceShape(shapes));
    const [output, ...states] = (this.returnState ? inner : [inner]) as Shape[];
    let outputs: Shape[];
    if (this.mergeMode === 'concat') {
      const last = output[output.length - 1];
      outputs = [[...output.slice(0, -1), last === null ? null : 2 * last]];
    } else {
      outputs = this.mergeMode === null ? [output, output] : [output];
    }
    const all = [...outputs, ...states, ...states];
    return all.length === 1 ? all[0] : all;
  }

  override computeMask(inputs: Tensor | Tensor[], mask: Masks | undefined): Masks {
    void inputs;
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const output = this.returnSequences ? m : null;
    const outputs = this.mergeMode === null ? [output, output] : [output];
    const states = this.returnState ? this.forwardLayer.cell.stateSizes.map(() => null) : [];
    const all = [...outputs, ...states, ...states];
    return all.length === 1 ? all[0] : all;
  }

  call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[] {
    const [x, given] = splitInputs(inputs, ctx, this.describe());
    const count = this.forwardLayer.cell.stateSizes.length;
    if (given !== undefined && (!Array.isArray(given) || given.length !== 2 * count)) {
      throw new ValueError(`${this.describe()}: expected ${2 * count} initial states (the forward layer's ${count}, then the backward layer's), received ${Array.isArray(given) ? given.length : typeof given}`);
    }
    const options = (states: Tensor[] | undefined): ApplyOptions => {
      const o: ApplyOptions = { training: ctx.training };
      if (ctx.mask !== undefined && ctx.mask !== null) o.mask = ctx.mask;
      if (states !== undefined) o.initialState = states;
      return o;
    };
    const forward = this.forwardLayer.applyMulti(x, options(given?.slice(0, count)));
    const backward = this.backwardLayer.applyMulti(x, options(given?.slice(count)));
    const y = forward[0];
    let yRev = backward[0];
    if (this.returnSequences) {
      const steps = yRev.shape[1];
      yRev = gather(yRev, Array.from({ length: steps }, (_, i) => steps - 1 - i), 1);
    }
    const outputs = this.merge(y, yRev);
    if (!this.returnState) return outputs.length === 1 ? outputs[0] : outputs;
    return [...outputs, ...forward.slice(1), ...backward.slice(1)];
  }

  private merge(y: Tensor, yRev: Tensor): Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return [concat([y, yRev], y.rank - 1)];
      case 'sum':
        return [add(y, yRev)];
      case 'mul':
        return [mul(y, yRev)];
      case 'ave':
        return [mul(add(y, yRev), 0.5)];
      default:
        return [y, yRev];
    }
  }

  /** Resets both directions' states (zeros, or `states`: the forward layer's then the backward layer's). */
  resetStates(states?: Tensor[]): void {
    if (states === undefined) {
      this.forwardLayer.resetStates();
      this.backwardLayer.resetStates();
      return;
    }
    const count = this.forwardLayer.cell.stateSizes.length;
    if (!Array.isArray(states) || states.length !== 2 * count) {
      throw new ValueError(`${this.describe()}.resetStates: expected ${2 * count} states (forward then backward), received ${Array.isArray(states) ? states.length : typeof states}`);
    }
    this.forwardLayer.resetStates(states.slice(0, count));
    this.backwardLayer.resetStates(states.slice(count));
  }

  /** As TF.js writes it: the wrapped layer's config under `layer`, and `merge_mode` (Keras's `backward_layer` only when one was given). */
  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), layer: this.layerSpec, merge_mode: this.mergeMode };
    if (this.customBackward) config.backward_layer = { class_name: this.backwardLayer.className, config: this.backwardLayer.getConfig() };
    return config;
  }
}

/** Keras's checks on a given backward layer: an RNN going the other way, alike in what it returns. */
function checkBackward(what: string, layer: RNN, backward: RNN): void {
  if (!(backward instanceof RNN)) throw new ValueError(`${what}: expected backwardLayer to be a recurrent layer, received ${String(backward)}`);
  if (backward.goBackwards === layer.goBackwards) {
    throw new ValueError(`${what}: the forward and backward layers must differ in goBackwards, both are ${layer.goBackwards}`);
  }
  for (const key of ['stateful', 'returnSequences', 'returnState'] as const) {
    if (layer[key] !== backward[key]) throw new ValueError(`${what}: the forward and backward layers must agree on ${key}, received ${layer[key]} and ${backward[key]}`);
  }
}

function describeValue(v: unknown): string {
  return v instanceof Layer ? `${v.name} (${v.className})` : String(v);
}
