import { Tensor } from '../../../src/tensor/tensor.js';

/** Gate functions written from their definitions, in float64. */
export const sigmoid64 = (v: number): number => 1 / (1 + Math.exp(-v));
/** TF.js's hard sigmoid, clip(0.2·v + 0.5, 0, 1). */
export const hardSigmoid64 = (v: number): number => Math.min(1, Math.max(0, 0.2 * v + 0.5));

/**
 * A naive float64 GRU over `x` [batch, steps, features], written from Keras's definition (gate order
 * z, r, h; h' = z·h + (1 − z)·ĥ). With `resetAfter`, bias is [2, 3u] (input row, recurrent row) and
 * ĥ = tanh(x_h + r·(h·U_h + b_rh)); without, bias is [3u] and ĥ = tanh(x_h + (r·h)·U_h).
 * Returns the last output [batch, units] or every output [batch, steps, units] in processing order.
 */
export function gruReference(
  x: Tensor,
  [kernel, recurrentKernel, bias]: (Tensor | undefined)[],
  { units, resetAfter, gate, goBackwards = false, returnSequences = false }: {
    units: number;
    resetAfter: boolean;
    gate: (v: number) => number;
    goBackwards?: boolean;
    returnSequences?: boolean;
  },
): Float64Array {
  const [batch, steps, features] = x.shape;
  const u = units;
  const W = kernel!.data;
  const U = recurrentKernel!.data;
  // Row 0 of a [2, 3u] bias and a [3u] bias both start at element 0.
  const inputBias = (j: number): number => (bias === undefined ? 0 : bias.data[j]);
  const recurrentBias = (j: number): number => (bias !== undefined && resetAfter ? bias.data[3 * u + j] : 0);
  const out = new Float64Array(batch * (returnSequences ? steps : 1) * u);
  for (let b = 0; b < batch; b++) {
    let h = new Float64Array(u);
    for (let i = 0; i < steps; i++) {
      const t = goBackwards ? steps - 1 - i : i;
      // x·W + b_input for all 3u columns.
      const xw = new Float64Array(3 * u);
      for (let j = 0; j < 3 * u; j++) {
        let s = inputBias(j);
        for (let f = 0; f < features; f++) s += x.data[(b * steps + t) * features + f] * W[f * 3 * u + j];
        xw[j] = s;
      }
      // h·U (+ b_recurrent) for all 3u columns.
      const hu = new Float64Array(3 * u);
      for (let j = 0; j < 3 * u; j++) {
        let s = recurrentBias(j);
        for (let k = 0; k < u; k++) s += h[k] * U[k * 3 * u + j];
        hu[j] = s;
      }
      const z = Array.from({ length: u }, (_, j) => gate(xw[j] + hu[j]));
      const r = Array.from({ length: u }, (_, j) => gate(xw[u + j] + hu[u + j]));
      const next = new Float64Array(u);
      for (let j = 0; j < u; j++) {
        let recurrentH: number;
        if (resetAfter) {
          recurrentH = r[j] * hu[2 * u + j];
        } else {
          recurrentH = 0;
          for (let k = 0; k < u; k++) recurrentH += r[k] * h[k] * U[k * 3 * u + 2 * u + j];
        }
        const candidate = Math.tanh(xw[2 * u + j] + recurrentH);
        next[j] = z[j] * h[j] + (1 - z[j]) * candidate;
      }
      h = next;
      if (returnSequences) out.set(h, (b * steps + i) * u);
    }
    if (!returnSequences) out.set(h, b * u);
  }
  return out;
}
