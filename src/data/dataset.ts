import { ValueError } from '../util/errors.js';
import { forkActiveStream, makeRng, Rng, withRandomStream } from '../util/random.js';
import { stackElements } from './stack.js';

/** Opens one pass over the elements. */
export type IteratorFactory<T> = () => AsyncIterator<T> | Iterator<T>;

function checkCount(value: unknown, name: string, op: string, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new ValueError(`${op}: expected ${name} to be ${allowZero ? 'a non-negative' : 'a positive'} integer, received ${String(value)}`);
  }
  return value;
}

/**
 * A lazy, re-iterable sequence of elements (TF.js's `tf.data.Dataset`): every `for await` is a fresh pass,
 * so each epoch of `fit` reads the source again and memory stays bounded by what the pipeline buffers.
 * `size` is the number of elements when known, Infinity when endless, null when unknown.
 * @example const ds = data.fromArrays(x, y).shuffle(1000, 42).batch(32).prefetch(2);
 */
export class Dataset<T> implements AsyncIterable<T> {
  constructor(private readonly factory: IteratorFactory<T>, readonly size: number | null = null) {}

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    // Every random draw of the pass (per-pass shuffles, nested passes, random maps) comes from a stream
    // forked when the pass opens: the pass depends only on the stream's state then, not on when training
    // draws between elements, so re-opening it at that state (a resumed fit) reproduces it exactly.
    const stream = forkActiveStream();
    const it = withRandomStream(stream, () => this.factory());
    try {
      for (;;) {
        const r = await withRandomStream(stream, () => it.next());
        if (r.done === true) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }

  /** Each element through `fn` (which may be async). */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    if (typeof fn !== 'function') throw new ValueError(`Dataset.map: expected a function, received ${typeof fn}`);
    return new Dataset(() => mapped(this, fn), this.size);
  }

  /**
   * Groups `batchSize` consecutive elements into one, stacking tensors along a new first axis (numbers
   * become a vector; arrays and objects are stacked entry by entry). The last batch may be smaller unless
   * `smallLastBatch` is false.
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<T> {
    checkCount(batchSize, 'batchSize', 'Dataset.batch');
    const size = this.size === null || this.size === Infinity ? this.size : smallLastBatch ? Math.ceil(this.size / batchSize) : Math.floor(this.size / batchSize);
    return new Dataset(() => batched(this, batchSize, smallLastBatch), size);
  }

  /**
   * Shuffles within a window of `bufferSize` elements (TF.js / tf.data): a buffer is filled, then each
   * output is a random buffer entry, replaced by the next input. Reshuffled on every pass, drawn from the
   * seeded stream when the pass starts (or from `seed`, for an order independent of everything else; a
   * seeded order sequence belongs to the dataset object and is not resumed by BackupAndRestore).
   */
  shuffle(bufferSize: number, seed?: number | string): Dataset<T> {
    checkCount(bufferSize, 'bufferSize', 'Dataset.shuffle');
    // Seeded: one generator for every pass (an order independent of everything else). Unseeded: each pass
    // draws its generator from the seeded stream when it opens, so inside fit the order follows the fit's
    // stream and a resumed fit (BackupAndRestore) re-draws the same order.
    const rng = seed === undefined ? null : makeRng(seed);
    return new Dataset(() => shuffled(this, bufferSize, rng ?? makeRng()), this.size);
  }

  /** Reads up to `bufferSize` elements ahead while the consumer works on the current one. */
  prefetch(bufferSize: number): Dataset<T> {
    checkCount(bufferSize, 'bufferSize', 'Dataset.prefetch');
    return new Dataset(() => prefetched(this, bufferSize), this.size);
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    checkCount(count, 'count', 'Dataset.take', true);
    return new Dataset(() => sliced(this, 0, count), this.size === null ? null : Math.min(this.size, count));
  }

  /** Everything after the first `count` elements. */
  skip(count: number): Dataset<T> {
    checkCount(count, 'count', 'Dataset.skip', true);
    return new Dataset(() => sliced(this, count, Infinity), this.size === null ? null : Math.max(0, this.size - count));
  }

  /** `count` passes one after another, or endless without a count (then fit needs `stepsPerEpoch`). */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount(count, 'count', 'Dataset.repeat', true);
    const times = count ?? Infinity;
    const size = this.size === 0 ? 0 : times === Infinity ? Infinity : this.size === null ? null : this.size * times;
    return new Dataset(() => repeated(this, times), size);
  }

  /** Every element in an array (for small datasets and tests). */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new ValueError('Dataset.toArray: the dataset is endless (repeat() without a count); take(n) first');
    const out: T[] = [];
    for await (const e of this) out.push(e);
    return out;
  }
}

async function* mapped<T, U>(source: Dataset<T>, fn: (e: T) => U | Promise<U>): AsyncGenerator<U> {
  for await (const e of source) yield await fn(e);
}

async function* batched<T>(source: Dataset<T>, batchSize: number, smallLastBatch: boolean): AsyncGenerator<T> {
  let items: T[] = [];
  for await (const e of source) {
    items.push(e);
    if (items.length === batchSize) {
      yield stackElements(items) as T;
      items = [];
    }
  }
  if (items.length > 0 && smallLastBatch) yield stackElements(items) as T;
}

async function* shuffled<T>(source: Dataset<T>, bufferSize: number, rng: Rng): AsyncGenerator<T> {
  const buffer: T[] = [];
  for await (const e of source) {
    if (buffer.length < bufferSize) {
      buffer.push(e);
      continue;
    }
    const i = Math.floor(rng() * bufferSize);
    const out = buffer[i];
    buffer[i] = e;
    yield out;
  }
  // Drain in random order (a Fisher–Yates pass).
  for (let n = buffer.length; n > 0; n--) {
    const i = Math.floor(rng() * n);
    yield buffer[i];
    buffer[i] = buffer[n - 1];
  }
}

async function* prefetched<T>(source: Dataset<T>, bufferSize: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  try {
    for (;;) {
      while (queue.length < bufferSize) queue.push(it.next());
      const r = await queue.shift()!;
      if (r.done === true) return;
      yield r.value;
    }
  } finally {
    // Let reads already started settle (their errors are the consumer's no more) before closing the source.
    await Promise.allSettled(queue);
    await it.return?.();
  }
}

async function* sliced<T>(source: Dataset<T>, start: number, end: number): AsyncGenerator<T> {
  if (end <= start) return;
  let i = 0;
  for await (const e of source) {
    if (i >= start) yield e;
    i++;
    if (i >= end) return;
  }
}

async function* repeated<T>(source: Dataset<T>, times: number): AsyncGenerator<T> {
  for (let pass = 0; pass < times; pass++) {
    let any = false;
    for await (const e of source) {
      any = true;
      yield e;
    }
    if (!any) return; // an empty source repeated forever is still empty
  }
}
