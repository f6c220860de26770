import seedrandom from 'seedrandom';
import { ValueError } from './errors.js';

/** A source of uniform floats in [0, 1). */
export type Rng = () => number;

let root: seedrandom.PRNG = seedrandom('neurite');
/** The stream unseeded random calls draw from while one is active (see `withRandomStream`), else null. */
let current: seedrandom.PRNG | null = null;

/**
 * Seeds every random choice neurite makes (initializers, dropout, shuffling, random tensors).
 * The same seed with the same code and data gives bit-identical results.
 * @example setSeed(42); const w = randomNormal([2, 2]);
 */
export function setSeed(seed: number | string): void {
  if (typeof seed !== 'number' && typeof seed !== 'string') {
    throw new ValueError(`setSeed: expected a number or a string, received ${typeof seed}`);
  }
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new ValueError(`setSeed: expected a finite number, received ${seed}`);
  }
  root = seedrandom(String(seed));
}

/**
 * A generator for one random call. With `seed` it is independent of the global stream
 * (same seed, same numbers); without, it is drawn from the global stream, so it is still
 * reproducible under `setSeed`.
 */
export function makeRng(seed?: number | string): Rng {
  if (seed === undefined) return seedrandom(String((current ?? root).int32()));
  return seedrandom(String(seed));
}

/** A private random stream (one per `fit`), seeded from the global generator when it is made. */
export interface RandomStream {
  /** @internal */
  readonly prng: seedrandom.PRNG;
}

/**
 * A new stream seeded by one draw from the global generator, so it is reproducible under `setSeed`
 * and the global stream advances by exactly one draw however long the stream is used.
 */
export function forkRandomStream(): RandomStream {
  return { prng: seedrandom(String(root.int32())) };
}

/**
 * Runs the synchronous `fn` with every unseeded random call (shuffling, Dropout, noise layers)
 * drawing from `stream` instead of the global generator. Two concurrent `fit`s interleave only at
 * their `await`s, never inside a synchronous step, so swapping the stream in around each step
 * keeps their randomness apart: concurrent fits equal sequential ones bit for bit.
 * @example const stream = forkRandomStream(); const y = withRandomStream(stream, () => model.forward(x, true));
 */
export function withRandomStream<T>(stream: RandomStream, fn: () => T): T {
  const previous = current;
  current = stream.prng;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** Standard normal deviate by the Box–Muller transform (one of the pair; simple and exact enough). */
export function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng(); // log(0) would be -Infinity
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
