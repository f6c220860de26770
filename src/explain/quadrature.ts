import { ValueError } from '../util/errors.js';

/** Integration rule of integrated gradients along the straight path. */
export type IntegrationMethod = 'riemann_trapezoid' | 'gauss_legendre';

/** Nodes α in [0, 1] and weights (summing to 1) of a quadrature rule for ∫₀¹ g(α) dα. */
export function quadrature(method: IntegrationMethod, steps: number): { alphas: number[]; weights: number[] } {
  if (method === 'riemann_trapezoid') {
    // steps intervals, steps + 1 points; the end points carry half weight.
    const alphas = Array.from({ length: steps + 1 }, (_, k) => k / steps);
    const weights = alphas.map((_, k) => (k === 0 || k === steps ? 0.5 : 1) / steps);
    return { alphas, weights };
  }
  if (method === 'gauss_legendre') return gaussLegendre(steps);
  throw new ValueError(`integratedGradients: method must be 'riemann_trapezoid' or 'gauss_legendre', received ${String(method)}`);
}

/**
 * Gauss–Legendre rule with n nodes mapped from [−1, 1] to [0, 1]. Each root of Pₙ is found by Newton's
 * method from Tricomi's estimate cos(π(i − ¼)/(n + ½)); Pₙ and Pₙ' come from the three-term recurrence
 * (k+1)Pₖ₊₁ = (2k+1)xPₖ − kPₖ₋₁ and Pₙ' = n(xPₙ − Pₙ₋₁)/(x² − 1); the weight is 2/((1 − x²)Pₙ'²).
 */
function gaussLegendre(n: number): { alphas: number[]; weights: number[] } {
  const alphas: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 1;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 1; k < n; k++) {
        const p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 0 ? 1 : p1;
      const pprev = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pprev)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    alphas.push((1 - x) / 2);
    weights.push(1 / ((1 - x * x) * dp * dp)); // 2/((1−x²)P'²), halved by the map to [0, 1]
  }
  return { alphas, weights };
}
