import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { add, minimum, mul } from '../ops/arithmetic.js';
import { clip, exp } from '../ops/elementwise.js';
import { elu, gelu, hardSigmoid, leakyRelu, relu, selu, sigmoid, softplus, softsign, swish, tanh } from '../ops/activations.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { describeValue } from '../util/describe.js';

/** An activation: a differentiable elementwise (or, for softmax, last-axis) function. */
export type ActivationFn = (x: Tensor) => Tensor;

/** Canonical (Keras snake_case) activation ids; TF.js camelCase spellings are also accepted. */
export type ActivationId =
  | 'linear'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'relu6'
  | 'softmax'
  | 'log_softmax'
  | 'hard_sigmoid'
  | 'keras_hard_sigmoid'
  | 'hard_silu'
  | 'elu'
  | 'selu'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'mish'
  | 'gelu'
  | 'gelu_new'
  | 'leaky_relu'
  | 'exponential';

/** `hard_sigmoid` → `hardSigmoid`, at the type level. */
type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<SnakeToCamel<Tail>>}` : S;

/** Every string an activation may be given as: the Keras id, its TF.js camelCase spelling, or `silu`; exact, so a typo fails to compile. */
export type ActivationName = ActivationId | SnakeToCamel<ActivationId> | 'silu';

const registry: Record<ActivationId, ActivationFn> = {
  linear: (x) => x,
  sigmoid,
  tanh,
  relu,
  // min(max(x, 0), 6), composed.
  relu6: (x) => minimum(relu(x), 6),
  softmax: (x) => softmax(x, -1),
  log_softmax: (x) => logSoftmax(x, -1),
  // TF.js's form clip(0.2·x + 0.5, 0, 1), so TF.js models predict the same here.
  hard_sigmoid: hardSigmoid,
  // Keras 3's hard_sigmoid, relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1), under its own id: 'hard_sigmoid' keeps
  // TF.js's meaning, which every model.json (and TF.js's LSTM / GRU default gates) relies on.
  keras_hard_sigmoid: (x) => clip(add(mul(x, 1 / 6), 0.5), 0, 1),
  // Keras 3's hard_silu (hard_swish): x · relu6(x + 3) / 6.
  hard_silu: (x) => mul(x, clip(add(mul(x, 1 / 6), 0.5), 0, 1)),
  elu: (x) => elu(x, 1),
  selu,
  softplus,
  softsign,
  swish,
  // x · tanh(softplus(x)), composed.
  mish: (x) => mul(x, tanh(softplus(x))),
  gelu: (x) => gelu(x, false),
  // TF.js's name for the tanh approximation of GELU.
  gelu_new: (x) => gelu(x, true),
  // Keras 3's default negative slope, 0.2.
  leaky_relu: (x) => leakyRelu(x, 0.2),
  exponential: exp,
};

/** Other names for the same functions: Keras 3 calls swish `silu`. */
const aliases: Record<string, ActivationId> = { silu: 'swish', hard_swish: 'hard_silu' };

/** The canonical ids `getActivation` accepts (plus camelCase spellings and `silu`). */
export const activationIds = Object.keys(registry) as ActivationId[];

/** `hardSigmoid` → `hard_sigmoid`; ids already in snake_case are unchanged. */
function snakeCase(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * The canonical id of an activation name (`'hardSigmoid'` → `'hard_sigmoid'`); `null`/`undefined`
 * mean `'linear'`, as Keras's `None`. Unknown names throw a ValueError listing the valid ones.
 * @example activations.canonicalActivation('hardSigmoid'); // 'hard_sigmoid'
 */
export function canonicalActivation(id: string | null | undefined): ActivationId {
  if (id === null || id === undefined) return 'linear';
  const key = typeof id === 'string' ? snakeCase(id) : '';
  if (Object.prototype.hasOwnProperty.call(registry, key)) return key as ActivationId;
  if (Object.prototype.hasOwnProperty.call(aliases, key)) return aliases[key];
  throw new ValueError(`Unknown activation ${describeValue(id)}; expected one of: ${activationIds.join(', ')} (camelCase also accepted)`);
}

/**
 * The activation function for a Keras or TF.js name.
 * @example getActivation('relu')(tensor([-1, 2])); // [0, 2]
 */
export function getActivation(id: string | null | undefined): ActivationFn {
  return registry[canonicalActivation(id)];
}

/**
 * The name written to model.json for an activation: its canonical id, which is what TF.js writes (the
 * snake_case of its own names: `'hardSigmoid'` → `'hard_sigmoid'`) and what Keras reads.
 * @example activations.serializeActivation(undefined); // 'linear', as model.json writes it
 */
export function serializeActivation(id: string | null | undefined): ActivationId {
  return canonicalActivation(id);
}
