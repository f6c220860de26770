import seedrandom from 'seedrandom';

/** Seeded binary labels and scores that lean towards the label (a useful but imperfect classifier). */
export function seededValues(n: number): { labels: number[]; scores: number[] } {
  const rng = seedrandom('plots');
  const labels = Array.from({ length: n }, () => (rng() < 0.4 ? 1 : 0));
  const scores = labels.map((l) => Math.min(1, Math.max(0, 0.35 + 0.3 * l + 0.3 * (rng() - 0.5) * 2)));
  return { labels, scores };
}
