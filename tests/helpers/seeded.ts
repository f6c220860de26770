import seedrandom from 'seedrandom';
import { Tensor } from '../../src/tensor/tensor.js';

/** Uniform values in [lo, hi) from a fixed seed, independent of the library's generator. */
export function seededArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = seedrandom(`test-${seed}`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng();
  return out;
}

/** A tensor of uniform values in [lo, hi) from a fixed seed. */
export function seededTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(seededArray(n, seed, lo, hi), shape);
}
