import seedrandom from 'seedrandom';
import { ValueError } from './errors.js';

/** A source of uniform floats in [0, 1). */
export type Rng = () => number;

// `state: true` lets the stream be saved and restored (BackupAndRestore resumes it bit for bit); same numbers.
let root: seedrandom.StatefulPRNG<seedrandom.State.Arc4> = seedrandom('neurite', { state: true });

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
  return root.state();
}

/** Puts the global stream back where `getRandomState` saw it. */
export function setRandomState(state: object): void {
  if (state === null || typeof state !== 'object') throw new ValueError(`setRandomState: expected a state from getRandomState(), received ${String(state)}`);
  root = seedrandom('', { state: state as seedrandom.State.Arc4 });
}

/**
 * A generator for one random call. With `seed` it is independent of the global stream
 * (same seed, same numbers); without, it is drawn from the global stream, so it is still
 * reproducible under `setSeed`.
 */
export function makeRng(seed?: number | string): Rng {
  if (seed === undefined) return seedrandom(String(root.int32()));
  return seedrandom(String(seed));
}

/** Standard normal deviate by the Box–Muller transform (one of the pair; simple and exact enough). */
export function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng(); // log(0) would be -Infinity
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
