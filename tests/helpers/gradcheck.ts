import { Tensor } from '../../src/tensor/tensor.js';
import { valueAndGrad } from '../../src/autograd/backward.js';
import { noGrad, record } from '../../src/autograd/record.js';
import { expectClose } from './close.js';
import { seededArray } from './seeded.js';

/**
 * Checks the autograd gradient of `f` at `inputs` against central finite differences.
 * `f`'s output is reduced with fixed random weights (not a plain sum, which would hide a
 * permuted gradient); the reduction is accumulated in float64.
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  { eps = 1e-2, rtol = 2e-2, atol = 2e-3, seed = 7 }: { eps?: number; rtol?: number; atol?: number; seed?: number } = {},
): void {
  const probe = noGrad(() => f(...inputs));
  const weights = seededArray(probe.size, seed, -1, 1);
  const reduce = (y: Tensor): number => {
    let s = 0;
    for (let i = 0; i < y.size; i++) s += weights[i] * y.data[i];
    return s;
  };
  const weighted = (...xs: Tensor[]): Tensor => {
    const y = f(...xs);
    const w = new Tensor(Float32Array.from(weights), y.shape);
    return weightedSum(y, w);
  };
  const { grads } = valueAndGrad(weighted)(...inputs);
  inputs.forEach((x, k) => {
    const numeric = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const saved = x.data[i];
      x.data[i] = saved + eps;
      const plus = reduce(noGrad(() => f(...inputs)));
      x.data[i] = saved - eps;
      const minus = reduce(noGrad(() => f(...inputs)));
      x.data[i] = saved;
      numeric[i] = (plus - minus) / (2 * eps);
    }
    try {
      expectClose(grads[k].data, numeric, { rtol, atol });
    } catch (e) {
      throw new Error(`gradcheck: input ${k} (shape [${x.shape.join(', ')}]): ${(e as Error).message}`);
    }
  });
}

/** sum(y · w) as a recorded scalar, written here so the check relies on no op under test. */
function weightedSum(y: Tensor, w: Tensor): Tensor {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += w.data[i] * y.data[i];
  const out = new Tensor(new Float32Array([s]), []);
  return record(out, 'weightedSum', [y], (dy) => [Float32Array.from(w.data, (v) => v * dy[0])]);
}
