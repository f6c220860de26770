import seedrandom from 'seedrandom';

/** Fisher–Yates shuffle of 0..n-1 driven by a seeded generator. */
export function shuffledIndices(n: number, seed: string): number[] {
  const rng = seedrandom(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx;
}

/**
 * Stratified split: each class is shuffled with the seed and cut at `testFraction`, so train and test keep
 * the class balance of the whole set. Returns row indices.
 */
export function stratifiedSplit(labels: number[], testFraction: number, seed: string): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [...new Set(labels)].sort()) {
    const members = labels.flatMap((l, i) => (l === cls ? [i] : []));
    const order = shuffledIndices(members.length, `${seed}-${cls}`).map((k) => members[k]);
    const nTest = Math.round(order.length * testFraction);
    test.push(...order.slice(0, nTest));
    train.push(...order.slice(nTest));
  }
  // Interleave the classes again so batches are mixed.
  const mix = (rows: number[], s: string) => shuffledIndices(rows.length, s).map((k) => rows[k]);
  return { train: mix(train, `${seed}-train`), test: mix(test, `${seed}-test`) };
}

/** Column means and standard deviations of `rows` (population form); a constant column gets std 1. */
export function fitStandardizer(rows: number[][]): { mean: number[]; std: number[] } {
  const d = rows[0].length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const r of rows) r.forEach((v, j) => (mean[j] += v / rows.length));
  for (const r of rows) r.forEach((v, j) => (std[j] += (v - mean[j]) ** 2 / rows.length));
  return { mean, std: std.map((s) => Math.sqrt(s) || 1) };
}

/** z-scores of `rows` with the given statistics. */
export function standardize(rows: number[][], { mean, std }: { mean: number[]; std: number[] }): number[][] {
  return rows.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
}
