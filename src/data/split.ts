import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { makeRng, Rng } from '../util/random.js';

/** Samples along the first axis: an array (one entry per sample) or a Tensor. */
export type Samples<T> = readonly T[] | Tensor;

/** Options of `trainTestSplit`. */
export interface TrainTestSplitOptions {
  /** Share of the samples held out for testing, in (0, 1) (default 0.25, as scikit-learn). */
  testSize?: number;
  /** Keep each class's share equal in both parts, by the label in `y` (default true). */
  stratify?: boolean;
  /** Seed of this split; without it the split is drawn from the global generator (`setSeed`). */
  seed?: number | string;
}

/** The two parts, each of the same kind (array or Tensor) as the input. */
export interface TrainTestSplit<X, Y> {
  /** Training samples. */
  xTrain: X;
  /** Held-out samples. */
  xTest: X;
  /** Labels of `xTrain`, row for row. */
  yTrain: Y;
  /** Labels of `xTest`, row for row. */
  yTest: Y;
}

/** Number of samples: array length or a tensor's first dimension. */
function countOf(v: Samples<unknown>, what: string): number {
  if (v instanceof Tensor) {
    if (v.rank === 0) throw new ShapeError(`trainTestSplit: ${what} must have a sample axis, received a scalar tensor`);
    return v.shape[0];
  }
  if (!Array.isArray(v)) throw new ValueError(`trainTestSplit: ${what} must be an array or a Tensor, received ${v === null ? 'null' : typeof v}`);
  return v.length;
}

/** The samples at `idx`, in that order, as the same kind as `v`. */
export function takeRows<T>(v: Samples<T>, idx: readonly number[]): Samples<T> {
  if (!(v instanceof Tensor)) return idx.map((i) => v[i]);
  const row = v.size / v.shape[0];
  const out = new Float32Array(idx.length * row);
  idx.forEach((i, k) => out.set(v.data.subarray(i * row, (i + 1) * row), k * row));
  return new Tensor(out, [idx.length, ...v.shape.slice(1)]);
}

/** The class of each sample: the value, the argmax of a one-hot / score row, or the row's text. */
function classKeys(y: Samples<unknown>, n: number): string[] {
  if (y instanceof Tensor) {
    const row = y.size / n;
    return Array.from({ length: n }, (_, i) => {
      const r = y.data.subarray(i * row, (i + 1) * row);
      return String(row === 1 ? r[0] : r.indexOf(Math.max(...r)));
    });
  }
  return y.map((v) => (Array.isArray(v) ? String(v.indexOf(Math.max(...(v as number[])))) : String(v)));
}

/** Fisher–Yates shuffle in place. */
function shuffle(a: number[], rng: Rng): number[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Splits samples and labels into training and test parts, shuffled with the seeded generator. Stratified
 * (the default): every class is cut separately at `testSize` (rounded), so both parts keep the class balance.
 * @example const { xTrain, xTest, yTrain, yTest } = trainTestSplit(features, labels, { testSize: 0.2, seed: 1 });
 */
export function trainTestSplit<X, Y>(x: Samples<X>, y: Samples<Y>, options: TrainTestSplitOptions = {}): TrainTestSplit<Samples<X>, Samples<Y>> {
  checkOptionKeys(options, ['testSize', 'stratify', 'seed'], 'trainTestSplit');
  const { testSize = 0.25, stratify = true, seed } = options;
  const n = countOf(x, 'x');
  if (countOf(y, 'y') !== n) throw new ShapeError(`trainTestSplit: x has ${n} samples, y has ${countOf(y, 'y')}; expected the same number`);
  if (typeof testSize !== 'number' || !(testSize > 0 && testSize < 1)) {
    throw new ValueError(`trainTestSplit: testSize must be a number in (0, 1), received ${String(testSize)}`);
  }
  if (n < 2) throw new ValueError(`trainTestSplit: needs at least 2 samples, received ${n}`);
  const rng = makeRng(seed);
  const groups = new Map<string, number[]>();
  const keys = stratify ? classKeys(y, n) : new Array<string>(n).fill('');
  keys.forEach((k, i) => (groups.get(k) ?? groups.set(k, []).get(k)!).push(i));
  const train: number[] = [];
  const test: number[] = [];
  for (const k of [...groups.keys()].sort()) {
    const members = shuffle(groups.get(k)!, rng);
    const nTest = Math.round(members.length * testSize);
    test.push(...members.slice(0, nTest));
    train.push(...members.slice(nTest));
  }
  // Classes were cut one after another: mix them again so batches are mixed.
  shuffle(train, rng);
  shuffle(test, rng);
  return { xTrain: takeRows(x, train), xTest: takeRows(x, test), yTrain: takeRows(y, train), yTest: takeRows(y, test) };
}
