import seedrandom from 'seedrandom';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ValueError } from './errors.js';

/** A source of uniform floats in [0, 1). */
export type Rng = () => number;

// `state: true` lets the stream be saved and restored (BackupAndRestore resumes it bit for bit); same numbers.
let root: seedrandom.StatefulPRNG<seedrandom.State.Arc4> = seedrandom('neurite', { state: true });
/** The stream unseeded random calls draw from while one is active (see `withRandomStream`); it follows awaits. */
const active = new AsyncLocalStorage<RandomStream>();

/** The generator unseeded calls draw from now: the active stream's, else the global one. */
function source(): seedrandom.StatefulPRNG<seedrandom.State.Arc4> {
  return active.getStore()?.prng ?? root;
}

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
  root = seedrandom(String(seed), { state: true });
}

/** A copy of the global stream's position (plain JSON), for resuming training exactly. */
export function getRandomState(): object {
  return source().state();
}

/** Puts the global stream back where `getRandomState` saw it. */
export function setRandomState(state: object): void {
  if (state === null || typeof state !== 'object') throw new ValueError(`setRandomState: expected a state from getRandomState(), received ${String(state)}`);
  const prng = seedrandom('', { state: state as seedrandom.State.Arc4 });
  const stream = active.getStore();
  if (stream !== undefined) stream.prng = prng;
  else root = prng;
}

/**
 * A generator for one random call. With `seed` it is independent of the global stream
 * (same seed, same numbers); without, it is drawn from the global stream, so it is still
 * reproducible under `setSeed`.
 */
export function makeRng(seed?: number | string): Rng {
  if (seed === undefined) return seedrandom(String(source().int32()));
  return seedrandom(String(seed));
}

/** A private random stream (one per `fit`), seeded from the global generator when it is made. */
export interface RandomStream {
  /** @internal */
  prng: seedrandom.StatefulPRNG<seedrandom.State.Arc4>;
}

/**
 * A new stream seeded by one draw from the global generator, so it is reproducible under `setSeed`
 * and the global stream advances by exactly one draw however long the stream is used.
 */
export function forkRandomStream(): RandomStream {
  return { prng: seedrandom(String(root.int32()), { state: true }) };
}

/**
 * A new stream seeded by one draw from the stream active now (a fit's, else the global one): a dataset
 * pass draws from its own fork, so its shuffles do not interleave with training's draws.
 */
export function forkActiveStream(): RandomStream {
  return { prng: seedrandom(String(source().int32()), { state: true }) };
}

/**
 * Runs `fn` (also an async one, through all its awaits) with every unseeded random call (shuffling,
 * Dropout, noise layers) and `getRandomState` / `setRandomState` on `stream` instead of the global
 * generator, so two concurrent `fit`s keep their randomness apart: they equal sequential ones bit for bit.
 * @example const y = await withRandomStream(forkRandomStream(), () => model.fit(x, y));
 */
export function withRandomStream<T>(stream: RandomStream, fn: () => T): T {
  return active.run(stream, fn);
}

/** Standard normal deviate by the Box–Muller transform (one of the pair; simple and exact enough). */
export function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng(); // log(0) would be -Infinity
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
