// Small in-place loops the optimizers share (gradient clipping, weight decay, moving averages).

/** Σ x² accumulated in float64. */
export function squaredNorm(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/** x ← x·scale in place (skipped when scale is exactly 1). */
export function scaleInPlace(x: Float32Array, scale: number): void {
  if (scale === 1) return;
  for (let i = 0; i < x.length; i++) x[i] *= scale;
}

/** x ← clip(x, −limit, limit) in place. */
export function clipByValue(x: Float32Array, limit: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > limit) x[i] = limit;
    else if (v < -limit) x[i] = -limit;
  }
}

/** average ← μ·average + (1 − μ)·x in place. */
export function emaUpdate(average: Float32Array, x: Float32Array, mu: number): void {
  const oneMinus = 1 - mu;
  for (let i = 0; i < x.length; i++) average[i] = mu * average[i] + oneMinus * x[i];
}

/** x ← x − x·f in place (Keras's weight decay, f = weightDecay·lr). */
export function decayInPlace(x: Float32Array, f: number): void {
  for (let i = 0; i < x.length; i++) x[i] -= x[i] * f;
}
