import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { makeRng, Rng } from '../../util/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { dense } from '../../ops/dense.js';
import { reshape } from '../../ops/reshape.js';
import { transpose } from '../../ops/transpose.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { baseOptionsFromConfig, checkBoolean, checkPositiveInt, LayerConfig, read, refuseUnsupported, required } from '../config.js';
import type { ConstraintSpec } from '../../constraints/constraints.js';
import type { RegularizerSpec } from '../../regularizers/regularizers.js';
import { penaltiesConfig, penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from '../penalties.js';
import { currentTraining } from '../call-context.js';
import { CallContext, isShapeList, Layer, LayerOptions, Mask, Masks, Shape, Shapes } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';
import { AttentionMasks, combineAttentionMasks } from './attention-mask.js';
import { dotProductAttention } from './dot-product-attention.js';

/** Options of `MultiHeadAttention`. */
export interface MultiHeadAttentionOptions extends LayerOptions {
  /** Number of attention heads (required). */
  numHeads: number;
  /** Size of each head for query and key (required). */
  keyDim: number;
  /** Size of each head for the value (default keyDim). */
  valueDim?: number | null;
  /** Dropout rate on the attention probabilities during training (default 0). */
  dropout?: number;
  /** Whether the four projections add biases (default true). */
  useBias?: boolean;
  /** Last dimension(s) of the output (default: the query's last dimension). */
  outputShape?: number | readonly number[] | null;
  /** Initializer of the four kernels (default `'glorot_uniform'`). */
  kernelInitializer?: InitializerSpec;
  /** Initializer of the four biases (default `'zeros'`). */
  biasInitializer?: InitializerSpec;
  /** Seed of the dropout stream (default: the global generator). */
  seed?: number | null;
  /** Penalty on each of the four kernels added to the training loss (`l1`, `l2`, `l1l2`). */
  kernelRegularizer?: RegularizerSpec | null;
  /** Penalty on each of the four biases. */
  biasRegularizer?: RegularizerSpec | null;
  /** Projection of each kernel after each optimizer step. */
  kernelConstraint?: ConstraintSpec | null;
  /** Projection of each bias after each optimizer step. */
  biasConstraint?: ConstraintSpec | null;
}

// NOTE: no activity regularizer: `applyAttention` (Keras's call) does not pass through `Layer.apply`, which records it.
const WEIGHTS = ['kernel', 'bias'];

/** Per-call options of `applyAttention` (Keras's call arguments). */
export interface AttentionCallOptions extends Omit<AttentionMasks, 'useCausalMask'> {
  /** The key `[batch, Tv, keyFeatures]` (default: the value). */
  key?: Tensor;
  /** Mask position j > i out, so each query position sees only earlier value positions. */
  useCausalMask?: boolean;
  /** Also return the attention scores `[batch, heads, Tq, Tv]`. */
  returnAttentionScores?: boolean;
  /** Dropout on (default: the enclosing model call's flag). */
  training?: boolean;
}

const OWN_OPTIONS = ['numHeads', 'keyDim', 'valueDim', 'dropout', 'useBias', 'outputShape', 'kernelInitializer', 'biasInitializer', 'seed', ...penaltyOptionKeys(WEIGHTS, { activity: false })];

/** Kernel `[features, heads, dim]` and bias `[heads, dim]` of one projection. */
interface Projection {
  kernel: Tensor;
  bias: Tensor | null;
}

/**
 * Multi-head attention as Keras 3: query, key and value are projected per head (kernels
 * `[features, numHeads, keyDim|valueDim]`, biases `[numHeads, dim]`), each head runs scaled
 * dot-product attention, and `attention_output` (kernel `[numHeads, valueDim, out]`, bias `[out]`)
 * merges the heads. Inputs `[query, value]` or `[query, value, key]`, each `[batch, T, features]`.
 * @example const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4 }); mha.applyAttention(x, x, { useCausalMask: true });
 */
export class MultiHeadAttention extends Layer {
  readonly className = 'MultiHeadAttention';
  /** Number of heads. */
  readonly numHeads: number;
  /** Query/key size per head. */
  readonly keyDim: number;
  /** Value size per head. */
  readonly valueDim: number;
  /** Dropout rate on the attention probabilities. */
  readonly dropout: number;
  /** Whether the projections have biases. */
  readonly useBias: boolean;
  /** Output's trailing shape, or null for the query's feature size. */
  readonly outputShapeOption: number[] | null;
  /** Kernel initializer spec. */
  readonly kernelInitializer: InitializerSpec;
  /** Bias initializer spec. */
  readonly biasInitializer: InitializerSpec;
  /** Dropout seed, or null. */
  readonly seed: number | null;
  private readonly seededRng: Rng | null;
  private readonly penalties: WeightPenalties;
  private projections: { query: Projection; key: Projection; value: Projection; output: Projection } | null = null;

  constructor(options: MultiHeadAttentionOptions) {
    checkLayerOptions(options, OWN_OPTIONS, 'MultiHeadAttention');
    const { numHeads, keyDim, valueDim = null, dropout = 0, useBias = true, outputShape = null, kernelInitializer = 'glorot_uniform', biasInitializer = 'zeros', seed = null,
      kernelRegularizer, biasRegularizer, kernelConstraint, biasConstraint, ...base } =
      options ?? ({} as MultiHeadAttentionOptions);
    super(base, 'MultiHeadAttention');
    const what = this.describe();
    this.penalties = resolvePenalties(WEIGHTS, { kernelRegularizer, biasRegularizer, kernelConstraint, biasConstraint }, what, { activity: false });
    this.numHeads = checkPositiveInt(numHeads, `${what} numHeads`);
    this.keyDim = checkPositiveInt(keyDim, `${what} keyDim`);
    this.valueDim = valueDim === null ? this.keyDim : checkPositiveInt(valueDim, `${what} valueDim`);
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new ValueError(`${what}: expected dropout in [0, 1), received ${JSON.stringify(dropout)}`);
    this.dropout = dropout;
    this.useBias = checkBoolean(useBias, `${what} useBias`);
    const out = outputShape === null ? null : typeof outputShape === 'number' ? [outputShape] : Array.isArray(outputShape) ? [...outputShape] : [];
    if (out !== null && (out.length === 0 || !out.every((d) => Number.isInteger(d) && d > 0))) {
      throw new ValueError(`${what}: expected outputShape to be a positive integer or a list of them, received ${JSON.stringify(outputShape)}`);
    }
    this.outputShapeOption = out;
    checkInitializerSpec(kernelInitializer, `${what} kernelInitializer`);
    checkInitializerSpec(biasInitializer, `${what} biasInitializer`);
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
    if (seed !== null && !Number.isInteger(seed)) throw new ValueError(`${what}: expected an integer seed, received ${JSON.stringify(seed)}`);
    this.seed = seed;
    this.seededRng = seed === null ? null : makeRng(seed);
    this.supportsMasking = true;
  }

  /** Builds a MultiHeadAttention from its Keras config. */
  static fromConfig(config: LayerConfig): MultiHeadAttention {
    const options = baseOptionsFromConfig('MultiHeadAttention', config);
    refuseUnsupported('MultiHeadAttention', config, { activity_regularizer: null, attention_axes: null, flash_attention: false });
    return new MultiHeadAttention({
      ...penaltiesFromConfig(WEIGHTS, config, { activity: false }),
      numHeads: required('MultiHeadAttention', config, 'num_heads'),
      keyDim: required('MultiHeadAttention', config, 'key_dim'),
      valueDim: read(config, 'value_dim', null),
      dropout: read(config, 'dropout', 0),
      useBias: read(config, 'use_bias', true),
      outputShape: read(config, 'output_shape', null),
      kernelInitializer: read(config, 'kernel_initializer', 'glorot_uniform'),
      biasInitializer: read(config, 'bias_initializer', 'zeros'),
      seed: read(config, 'seed', null),
      ...options,
    });
  }

  /** `[query, value]` or `[query, value, key]`, each rank 3 with known features; batches and Tv agree. */
  protected override checkInputShape(shapes: Shapes): void {
    const list = isShapeList(shapes) ? shapes : null;
    if (list === null || list.length < 2 || list.length > 3 || list.some((s) => s.length !== 3 || s[2] === null)) {
      const got = list === null ? formatShape(shapes as Shape) : list.map((s) => formatShape(s)).join(', ');
      throw new ShapeError(`${this.describe()}: expected [query, value] or [query, value, key], each [batch, steps, features], received ${got}`);
    }
    const [q, v, k = v] = list;
    const clash = (a: number | null, b: number | null): boolean => a !== null && b !== null && a !== b;
    if (clash(q[0], v[0]) || clash(q[0], k[0]) || clash(v[1], k[1])) {
      throw new ShapeError(`${this.describe()}: query ${formatShape(q)}, value ${formatShape(v)} and key ${formatShape(k)} must share the batch, and key and value the steps`);
    }
    const p = this.projections;
    if (p !== null && (q[2] !== p.query.kernel.shape[0] || v[2] !== p.value.kernel.shape[0] || k[2] !== p.key.kernel.shape[0])) {
      throw new ShapeError(
        `${this.describe()}: built for query, value and key features ${p.query.kernel.shape[0]}, ${p.value.kernel.shape[0]}, ${p.key.kernel.shape[0]}, ` +
          `received ${q[2]}, ${v[2]}, ${k[2]}`,
      );
    }
  }

  private projection(name: string, features: number, heads: number, dim: number): Projection {
    const kernel = this.addWeight(`${name}/kernel`, [features, heads, dim], this.kernelInitializer, weightPenalty(this.penalties, 'kernel'));
    const bias = this.useBias ? this.addWeight(`${name}/bias`, [heads, dim], this.biasInitializer, weightPenalty(this.penalties, 'bias')) : null;
    return { kernel, bias };
  }

  override build(shapes: Shapes): void {
    const [q, v, k = v] = shapes as Shape[];
    const out = this.outputShapeOption ?? [q[2] as number];
    const query = this.projection('query', q[2] as number, this.numHeads, this.keyDim);
    const key = this.projection('key', k[2] as number, this.numHeads, this.keyDim);
    const value = this.projection('value', v[2] as number, this.numHeads, this.valueDim);
    const kernel = this.addWeight('attention_output/kernel', [this.numHeads, this.valueDim, ...out], this.kernelInitializer, weightPenalty(this.penalties, 'kernel'));
    const bias = this.useBias ? this.addWeight('attention_output/bias', out, this.biasInitializer, weightPenalty(this.penalties, 'bias')) : null;
    this.projections = { query, key, value, output: { kernel, bias } };
  }

  computeOutputShape(shapes: Shapes): Shape {
    const [q] = shapes as Shape[];
    return [q[0], q[1], ...(this.outputShapeOption ?? [q[2]])];
  }

  /** x `[batch, T, features]` through `p` into heads `[batch, heads, T, dim]`. */
  private split(x: Tensor, p: Projection): Tensor {
    const [features, heads, dim] = p.kernel.shape;
    const flat = dense(x, reshape(p.kernel, [features, heads * dim]), p.bias === null ? null : reshape(p.bias, [heads * dim]));
    return transpose(reshape(flat, [x.shape[0], x.shape[1], heads, dim]), [0, 2, 1, 3]);
  }

  /** The attention on built inputs; masks already checked by `combineAttentionMasks`. */
  private attend(query: Tensor, value: Tensor, key: Tensor, masks: AttentionMasks, training: boolean): { output: Tensor; scores: Tensor } {
    const p = this.projections!;
    const mask = combineAttentionMasks(query.shape[0], query.shape[1], value.shape[1], masks, this.describe());
    const heads = { query: this.split(query, p.query), key: this.split(key, p.key), value: this.split(value, p.value) };
    const dropout = training && this.dropout > 0 ? { rate: this.dropout, rng: this.seededRng ?? makeRng() } : null;
    const { output, scores } = dotProductAttention(heads, mask, dropout);
    const [batch, tq] = query.shape;
    const merged = reshape(transpose(output, [0, 2, 1, 3]), [batch, tq, this.numHeads * this.valueDim]);
    const out = p.output.kernel.shape.slice(2);
    const size = out.reduce((a, b) => a * b, 1);
    const y = dense(merged, reshape(p.output.kernel, [this.numHeads * this.valueDim, size]), p.output.bias === null ? null : reshape(p.output.bias, [size]));
    return { output: out.length === 1 ? y : reshape(y, [batch, tq, ...out]), scores };
  }

  /** Graph path: inputs `[query, value, key?]`; `ctx.mask` holds their masks (query, value, key). */
  call(x: Tensor | Tensor[], ctx: CallContext): Tensor {
    const [query, value, key = value] = x as Tensor[];
    const masks = Array.isArray(ctx.mask) ? ctx.mask : [ctx.mask ?? null];
    return this.attend(query, value, key, { queryMask: masks[0], valueMask: masks[1], keyMask: masks[2] }, ctx.training).output;
  }

  /**
   * Keras's `mha(query, value, key=, attention_mask=, use_causal_mask=, return_attention_scores=)` on
   * eager tensors: builds on first use, checks shapes and masks, and returns the output, or
   * `[output, scores]` with `returnAttentionScores`.
   */
  applyAttention(query: Tensor, value: Tensor, options: AttentionCallOptions & { returnAttentionScores: true }): [Tensor, Tensor];
  applyAttention(query: Tensor, value: Tensor, options?: AttentionCallOptions): Tensor;
  applyAttention(query: Tensor, value: Tensor, options: AttentionCallOptions = {}): Tensor | [Tensor, Tensor] {
    const known = ['key', 'attentionMask', 'queryMask', 'valueMask', 'keyMask', 'useCausalMask', 'returnAttentionScores', 'training'];
    checkLayerOptions(options, known, `${this.describe()}.applyAttention`);
    const { key = value, returnAttentionScores = false, training = currentTraining(), ...masks } = options;
    const inputs = [query, value, key];
    if (inputs.some((t) => !(t instanceof Tensor))) throw new ValueError(`${this.describe()}.applyAttention: expected query, value (and key) to be Tensors`);
    this.ensureBuilt(inputs.map((t) => [...t.shape]));
    const { output, scores } = this.attend(query, value, key, masks, checkBoolean(training, `${this.describe()} training`));
    return returnAttentionScores ? [output, scores] : output;
  }

  /** The query's mask passes on (each output position is a query position). */
  override computeMask(inputs: Tensor | Tensor[], mask?: Masks): Mask {
    void inputs;
    return Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
  }

  /** Keras 3's config (snake_case keys). */
  override getConfig(): Record<string, unknown> {
    return {
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      output_shape: this.outputShapeOption === null ? null : [...this.outputShapeOption],
      attention_axes: null,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      ...penaltiesConfig(WEIGHTS, this.penalties, { activity: false }),
      activity_regularizer: null,
      seed: this.seed,
      ...super.getConfig(),
    };
  }
}
