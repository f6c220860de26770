import seedrandom from 'seedrandom';

/** Uniform values in [-1, 1) from a fixed seed: the same inputs for every contender. */
export function seededData(n: number, seed: string): Float32Array {
  const rng = seedrandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * rng() - 1;
  return out;
}

/** 0/1 labels that depend on the inputs (so training has a signal): sign of a fixed projection. */
export function seededLabels(x: Float32Array, samples: number, seed: string): Float32Array {
  const features = x.length / samples;
  const w = seededData(features, seed);
  const y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    let s = 0;
    for (let j = 0; j < features; j++) s += x[i * features + j] * w[j];
    y[i] = s > 0 ? 1 : 0;
  }
  return y;
}
