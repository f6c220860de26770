import type * as tfNs from '@tensorflow/tfjs';
import { Tensor } from '../../src/tensor/tensor.js';
import { valueAndGrad } from '../../src/autograd/backward.js';
import { noGrad, record } from '../../src/autograd/record.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

/** The TF.js namespace, as tfCpu() resolves it. */
export type Tf = typeof tfNs;

interface Tolerances {
  rtol?: number;
  atol?: number;
  gradRtol?: number;
  gradAtol?: number;
  /** Compare gradients too (default true). */
  grads?: boolean;
}

/**
 * Runs `ours` and `theirs` (the same op in TF.js, cpu backend) on the same inputs and compares the
 * outputs, then the gradients of Σ y·w for fixed random weights w (so a permuted gradient shows).
 */
export async function compareTf(
  ours: (...xs: Tensor[]) => Tensor,
  theirs: (tf: Tf, ...xs: tfNs.Tensor[]) => tfNs.Tensor,
  inputs: Tensor[],
  { rtol = 1e-5, atol = 1e-6, gradRtol = rtol, gradAtol = atol, grads = true }: Tolerances = {},
): Promise<void> {
  const tf = await tfCpu();
  const xs = inputs.map((x) => tf.tensor(x.data, [...x.shape]));
  const y = noGrad(() => ours(...inputs));
  const yt = theirs(tf, ...xs);
  if (JSON.stringify(y.shape) !== JSON.stringify(yt.shape)) {
    throw new Error(`shape differs from TF.js: ours [${y.shape.join(', ')}], TF.js [${yt.shape.join(', ')}]`);
  }
  expectClose(y.data, tfData(yt), { rtol, atol });
  if (!grads) return;
  const w = seededArray(y.size, 99);
  const ourGrads = valueAndGrad((...vs) => weightedSum(ours(...vs), w))(...inputs).grads;
  const wt = tf.tensor(w, [...y.shape]);
  const theirGrads = tf.grads((...vs: tfNs.Tensor[]) => tf.sum(tf.mul(theirs(tf, ...vs), wt)))(xs);
  ourGrads.forEach((g, k) => {
    try {
      expectClose(g.data, tfData(theirGrads[k]), { rtol: gradRtol, atol: gradAtol });
    } catch (e) {
      throw new Error(`gradient of input ${k} differs from TF.js: ${(e as Error).message}`);
    }
  });
}

/** Σ y·w as a recorded scalar whose backward hands w to y, written here so no op under test is involved. */
export function weightedSum(y: Tensor, w: Float32Array): Tensor {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += w[i] * y.data[i];
  return record(new Tensor(new Float32Array([s]), []), 'weightedSum', [y], (dy) => [Float32Array.from(w, (v) => v * dy[0])]);
}
