// The optimizers' per-element updates, each one fused loop over the parameter with every option hoisted out
// of it (one monomorphic loop per variant, no per-element branch on amsgrad / momentum / centered). Each
// value is computed in float64 and rounded once where it is stored, exactly as the optimizers' former inline
// loops did, so results are bit-for-bit the same.

/**
 * Adam (Keras form): m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2), p ← p − α·m/(sqrt(v) + ε), with the
 * bias correction folded into α. `vHat` (AMSGrad) keeps the running maximum of v and is used for v.
 */
export function adamUpdate(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vHat: Float32Array | null,
  alpha: number,
  oneMinusB1: number,
  oneMinusB2: number,
  eps: number,
): void {
  if (vHat !== null) {
    adamAmsgrad(p, g, m, v, vHat, alpha, oneMinusB1, oneMinusB2, eps);
    return;
  }
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = m[i] + (gi - m[i]) * oneMinusB1;
    const vi = v[i] + (gi * gi - v[i]) * oneMinusB2;
    m[i] = mi;
    v[i] = vi;
    p[i] -= (alpha * mi) / (Math.sqrt(vi) + eps);
  }
}

function adamAmsgrad(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vHat: Float32Array,
  alpha: number,
  oneMinusB1: number,
  oneMinusB2: number,
  eps: number,
): void {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = m[i] + (gi - m[i]) * oneMinusB1;
    let vi = v[i] + (gi * gi - v[i]) * oneMinusB2;
    m[i] = mi;
    v[i] = vi;
    if (vHat[i] > vi) vi = vHat[i];
    vHat[i] = vi;
    p[i] -= (alpha * mi) / (Math.sqrt(vi) + eps);
  }
}

/**
 * SGD (Keras form): p ← p − lr·g without velocity; with velocity b and momentum μ, b ← μ·b − lr·g then
 * p ← p + b, or with Nesterov p ← p + μ·b − lr·g.
 */
export function sgdUpdate(p: Float32Array, g: Float32Array, b: Float32Array | null, lr: number, mu: number, nesterov: boolean): void {
  const n = p.length;
  if (b === null) {
    for (let i = 0; i < n; i++) p[i] -= lr * g[i];
  } else if (nesterov) {
    for (let i = 0; i < n; i++) {
      const d = lr * g[i];
      const bi = mu * b[i] - d;
      b[i] = bi;
      p[i] += mu * bi - d;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const bi = mu * b[i] - lr * g[i];
      b[i] = bi;
      p[i] += bi;
    }
  }
}

/**
 * RMSprop (Keras form): s ← ρ·s + (1 − ρ)·g²; centered (`avg`) also ḡ ← ρ·ḡ + (1 − ρ)·g and uses s − ḡ²;
 * increment = lr·g/sqrt(s + ε (− ḡ²)); with velocity `b`, b ← μ·b + increment and p ← p − b, else p ← p − increment.
 */
export function rmspropUpdate(
  p: Float32Array,
  g: Float32Array,
  s: Float32Array,
  b: Float32Array | null,
  avg: Float32Array | null,
  lr: number,
  rho: number,
  eps: number,
  mu: number,
): void {
  const oneMinusRho = 1 - rho;
  const n = p.length;
  if (avg === null && b === null) {
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const si = rho * s[i] + oneMinusRho * gi * gi;
      s[i] = si;
      p[i] -= (lr * gi) / Math.sqrt(si + eps);
    }
  } else if (avg === null) {
    const vel = b!;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const si = rho * s[i] + oneMinusRho * gi * gi;
      s[i] = si;
      const bi = mu * vel[i] + (lr * gi) / Math.sqrt(si + eps);
      vel[i] = bi;
      p[i] -= bi;
    }
  } else {
    rmspropCentered(p, g, s, b, avg, lr, rho, eps, mu);
  }
}

function rmspropCentered(
  p: Float32Array,
  g: Float32Array,
  s: Float32Array,
  b: Float32Array | null,
  avg: Float32Array,
  lr: number,
  rho: number,
  eps: number,
  mu: number,
): void {
  const oneMinusRho = 1 - rho;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const si = rho * s[i] + oneMinusRho * gi * gi;
    s[i] = si;
    const ai = rho * avg[i] + oneMinusRho * gi;
    avg[i] = ai;
    const increment = (lr * gi) / Math.sqrt(si + eps - ai * ai);
    if (b === null) {
      p[i] -= increment;
    } else {
      const bi = mu * b[i] + increment;
      b[i] = bi;
      p[i] -= bi;
    }
  }
}
