/**
 * Batch normalization over a tensor seen as [outer, C, inner] (C the feature axis; inner = 1 when it is
 * the last axis): every element (o, c, i) is normalized with its feature's statistics,
 *   x̂ = (x − μ_c) · s_c with s_c = 1 / √(σ²_c + ε),   y = γ_c · x̂ + β_c.
 * Sums run in float64. The gradients, with N elements per feature:
 *   dβ = Σ dy,  dγ = Σ dy · x̂,
 *   dx = γ s (dy − dβ / N − x̂ · dγ / N)   when μ, σ² are the batch's own (they depend on x),
 *   dx = γ s dy                          when they are fixed (moving statistics).
 */

/** Per-feature mean and (biased) variance over outer and inner, into `mean`, `variance` (length C). */
export function featureMoments(x: Float32Array, outer: number, C: number, inner: number, mean: Float64Array, variance: Float64Array): void {
  const n = outer * inner;
  mean.fill(0);
  variance.fill(0);
  for (let o = 0, p = 0; o < outer; o++) for (let c = 0; c < C; c++) for (let i = 0; i < inner; i++, p++) mean[c] += x[p];
  for (let c = 0; c < C; c++) mean[c] /= n;
  for (let o = 0, p = 0; o < outer; o++)
    for (let c = 0; c < C; c++) {
      const m = mean[c];
      for (let i = 0; i < inner; i++, p++) variance[c] += (x[p] - m) * (x[p] - m);
    }
  for (let c = 0; c < C; c++) variance[c] /= n;
}

/** y = γ (x − μ) s + β per feature; `gamma` / `beta` null mean 1 / 0. */
export function batchNormForward(
  x: Float32Array, outer: number, C: number, inner: number, mean: Float64Array, invStd: Float64Array,
  gamma: Float32Array | null, beta: Float32Array | null, y: Float32Array,
): void {
  for (let o = 0, p = 0; o < outer; o++)
    for (let c = 0; c < C; c++) {
      const scale = invStd[c] * (gamma === null ? 1 : gamma[c]);
      const shift = (beta === null ? 0 : beta[c]) - mean[c] * scale;
      for (let i = 0; i < inner; i++, p++) y[p] = x[p] * scale + shift;
    }
}

/** dβ = Σ dy and dγ = Σ dy · x̂ per feature (float64), x̂ = (x − μ) s. */
export function batchNormParamGrads(
  x: Float32Array, dy: Float32Array, outer: number, C: number, inner: number, mean: Float64Array, invStd: Float64Array,
  dBeta: Float64Array, dGamma: Float64Array,
): void {
  dBeta.fill(0);
  dGamma.fill(0);
  for (let o = 0, p = 0; o < outer; o++)
    for (let c = 0; c < C; c++) {
      const m = mean[c];
      const s = invStd[c];
      for (let i = 0; i < inner; i++, p++) {
        dBeta[c] += dy[p];
        dGamma[c] += dy[p] * (x[p] - m) * s;
      }
    }
}

/** dx of batch normalization; `batchStats` selects the formula (statistics of x itself, or fixed). */
export function batchNormGradInput(
  x: Float32Array, dy: Float32Array, outer: number, C: number, inner: number, mean: Float64Array, invStd: Float64Array,
  gamma: Float32Array | null, dBeta: Float64Array, dGamma: Float64Array, batchStats: boolean, dx: Float32Array,
): void {
  const n = outer * inner;
  for (let o = 0, p = 0; o < outer; o++)
    for (let c = 0; c < C; c++) {
      const m = mean[c];
      const s = invStd[c];
      const g = (gamma === null ? 1 : gamma[c]) * s;
      const meanDy = batchStats ? dBeta[c] / n : 0;
      const meanDyXhat = batchStats ? dGamma[c] / n : 0;
      for (let i = 0; i < inner; i++, p++) dx[p] = g * (dy[p] - meanDy - (x[p] - m) * s * meanDyXhat);
    }
}
