import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { predictRows } from './predict.js';
import { coalitionValues } from './kernel-shap.js';
import type { KernelShapResult } from './kernel-shap.js';
import type { Forwardable } from './target.js';

/** Most features `exactShapley` enumerates (2^16 coalitions × background rows model evaluations per instance). */
const MAX_FEATURES = 16;

/** Options of `exactShapley`. */
export interface ExactShapleyOptions {
  /** Column of the model's first output to explain; default 0. */
  target?: number;
}

/**
 * Exact Shapley values by the definition over all 2^M coalitions: φ_j = Σ_{S ∌ j} |S|!(M − |S| − 1)!/M! ·
 * (v(S ∪ {j}) − v(S)), v as in `kernelShap` (absent features from the background rows). For up to 16 features;
 * the reference that kernel SHAP approximates.
 * @example
 * const { shapValues, expectedValue, fx } = explain.exactShapley(model, tensor([[1, 0]]), tensor([[0, 0], [1, 1]]));
 * // shapValues [1, 2]: its row sums to fx[0] − expectedValue
 */
export function exactShapley(model: Forwardable, x: Tensor, background: Tensor, options: ExactShapleyOptions = {}): KernelShapResult {
  const op = 'exactShapley';
  checkOptionKeys(options, ['target'], op);
  if (!(x instanceof Tensor) || x.rank !== 2) throw new ShapeError(`${op}: expected x of shape [instances, features], received ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`);
  const m = x.shape[1];
  if (m > MAX_FEATURES) throw new ValueError(`${op}: at most ${MAX_FEATURES} features (2^M coalitions), received ${m}; use kernelShap`);
  if (!(background instanceof Tensor) || background.rank !== 2 || background.shape[1] !== m || background.shape[0] < 1) {
    throw new ShapeError(`${op}: expected background of shape [rows, ${m}] (the features of x), received ${background instanceof Tensor ? formatShape(background.shape) : typeof background}`);
  }
  const target = options.target ?? 0;
  const width = predictRows(model, background.data.subarray(0, m), [m]).width;
  if (!Number.isInteger(target) || target < 0 || target >= width) throw new ValueError(`${op}: target must be an output column in [0, ${width}), received ${String(target)}`);
  const count = 2 ** m;
  const masks = Array.from({ length: count }, (_, bits) => Uint8Array.from({ length: m }, (_, j) => (bits >> j) & 1));
  const sizes = masks.map((z) => z.reduce((a, b) => a + b, 0));
  const fact = [1];
  for (let k = 1; k <= m; k++) fact.push(fact[k - 1] * k);
  const out = new Float32Array(x.size);
  const fx: number[] = [];
  let expectedValue = 0;
  for (let i = 0; i < x.shape[0]; i++) {
    const v = coalitionValues(model, x.data.subarray(i * m, (i + 1) * m), background, { masks, weights: [] }, target);
    expectedValue = v[0];
    fx.push(v[count - 1]);
    for (let j = 0; j < m; j++) {
      let phi = 0;
      for (let bits = 0; bits < count; bits++) {
        if ((bits >> j) & 1) continue;
        const s = sizes[bits];
        phi += (fact[s] * fact[m - s - 1] / fact[m]) * (v[bits | (1 << j)] - v[bits]);
      }
      out[i * m + j] = phi;
    }
  }
  return { shapValues: new Tensor(out, x.shape), expectedValue, fx };
}
