import type { Rng } from '../util/random.js';

/** Coalitions (1 = feature taken from x) with their regression weights. */
export interface Coalitions {
  masks: Uint8Array[];
  weights: number[];
}

/** Binomial coefficient C(n, k) in float64. */
function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** The Shapley kernel π(s) = (M − 1) / (C(M, s) · s · (M − s)) of one coalition of size s (Lundberg & Lee 2017, Theorem 2). */
export function shapleyKernel(m: number, s: number): number {
  return (m - 1) / (choose(m, s) * s * (m - s));
}

/** Every proper, non-empty coalition of m features, weighted by the Shapley kernel. */
export function allCoalitions(m: number): Coalitions {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  for (let bits = 1; bits < 2 ** m - 1; bits++) {
    const z = new Uint8Array(m);
    let s = 0;
    for (let j = 0; j < m; j++) if ((bits >> j) & 1) { z[j] = 1; s++; }
    masks.push(z);
    weights.push(shapleyKernel(m, s));
  }
  return { masks, weights };
}

/**
 * `pairs` coalitions and their complements (paired sampling). The size s is drawn with probability
 * ∝ C(M, s) π(s) = (M − 1)/(s(M − s)), the total kernel weight of that size, and the members uniformly,
 * so each draw stands for the kernel weight already and gets weight 1.
 */
export function sampledCoalitions(m: number, pairs: number, rng: Rng): Coalitions {
  const sizeWeights = Array.from({ length: m - 1 }, (_, i) => 1 / ((i + 1) * (m - i - 1)));
  const total = sizeWeights.reduce((a, b) => a + b, 0);
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const order = Int32Array.from({ length: m }, (_, i) => i);
  for (let p = 0; p < pairs; p++) {
    let u = rng() * total;
    let s = 1;
    while (s < m - 1 && u >= sizeWeights[s - 1]) { u -= sizeWeights[s - 1]; s++; }
    // A partial Fisher–Yates shuffle picks s members uniformly.
    for (let i = 0; i < s; i++) {
      const j = i + Math.floor(rng() * (m - i));
      const t = order[i]; order[i] = order[j]; order[j] = t;
    }
    const z = new Uint8Array(m);
    for (let i = 0; i < s; i++) z[order[i]] = 1;
    masks.push(z, z.map((v) => 1 - v));
    weights.push(1, 1);
  }
  return { masks, weights };
}
