import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { getRandomState, makeRng, setRandomState } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFinite, shuffledOrder, sliceSamples, takeSamples, toTensor } from './data.js';
import { Batch, mapWeights, SampleWeights } from './step.js';
import { describeValue, isPlainObject, toTensorList } from './structure.js';
import { Trainable } from './trainable.js';

/** Whether `v` is a dataset: an (async) iterable of batches that is not itself data (a Tensor or an array). */
export function isDataset(v: unknown): v is AsyncIterable<unknown> | Iterable<unknown> {
  if (v === null || typeof v !== 'object' || v instanceof Tensor || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const r = v as Record<symbol, unknown>;
  return typeof r[Symbol.asyncIterator] === 'function' || typeof r[Symbol.iterator] === 'function';
}

/** Batches a dataset declares (`size` of a neurite Dataset: Infinity when endless), or null when unknown. */
export function declaredSize(ds: unknown): number | null {
  const size = (ds as { size?: unknown }).size;
  return typeof size === 'number' && (Number.isInteger(size) || size === Infinity) && size >= 0 ? size : null;
}

/** Checks sample weights: `[n]` per sample or `[n, steps]` per timestep, finite and >= 0. */
export function toSampleWeight(value: unknown, n: number, what: string): Tensor {
  const w = toTensor(value, what);
  if (w.rank > 2 || w.shape[0] !== n) {
    throw new ShapeError(`${what}: expected one weight per sample [${n}] (or per timestep [${n}, steps]), received shape ${formatShape(w.shape)}`);
  }
  for (let i = 0; i < w.size; i++) {
    const v = w.data[i];
    if (!(Number.isFinite(v) && v >= 0)) throw new ValueError(`${what}: expected finite weights >= 0, received ${v} at position ${i}`);
  }
  return w;
}

/**
 * Sample weights for a model with outputs `names`: one `[n]` / `[n, steps]` weight for every output, or per
 * output as an object keyed by output name or an array of one Tensor (or null) per output.
 */
export function toSampleWeights(value: unknown, names: readonly string[], n: number, what: string): SampleWeights {
  if (value === undefined || value === null) return null;
  if (isPlainObject(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new ValueError(`${what}: unknown output name${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; the outputs are ${names.map((k) => `'${k}'`).join(', ')}`);
    return names.map((name) => (value[name] === undefined || value[name] === null ? null : toSampleWeight(value[name], n, `${what} '${name}'`)));
  }
  // An array of tensors (or nulls), one per output; a plain number array is one weight per sample.
  if (names.length > 1 && Array.isArray(value) && value.length === names.length && value.every((v) => v === null || v instanceof Tensor)) {
    return value.map((v, i) => (v === null ? null : toSampleWeight(v, n, `${what} '${names[i]}'`)));
  }
  return toSampleWeight(value, n, what);
}

/** A source of batches for the loops: in-memory tensors or a dataset. `steps` is null when unknown. */
export interface BatchSource {
  readonly steps: number | null;
  /** Samples per epoch when known (in-memory data). */
  readonly samples: number | null;
  /** One epoch's batches. */
  epoch(): AsyncIterable<Batch>;
  /** Where the source stands in its data (for a resume): see `SourcePosition`. */
  position(): SourcePosition;
  /** Makes the next `epoch()` continue from `p`, `batch` batches into the epoch (the random stream is left as it was). */
  seek(p: SourcePosition, batch: number): Promise<void>;
}

/**
 * Where a source stands: the random stream's state when its current pass opened (a shuffled order or a
 * dataset's per-pass shuffle is drawn then) and how many batches it has read since. Re-opening at that
 * state and skipping that many batches reproduces the pass exactly.
 */
export interface SourcePosition {
  openedRandom: object | null;
  pulled: number;
}

/** In-memory inputs, targets and weights, cut into batches (shuffled per epoch from the seeded stream). */
export class ArraySource implements BatchSource {
  readonly steps: number;
  readonly samples: number;
  constructor(readonly xs: Tensor[], readonly ys: Tensor[], readonly sampleWeight: SampleWeights, readonly batchSize: number, readonly shuffle: boolean) {
    this.samples = xs[0].shape[0];
    this.steps = Math.ceil(this.samples / batchSize);
  }

  private openedRandom: object | null = null;
  private pulled = 0;
  private pendingSeek: { p: SourcePosition; batch: number } | null = null;

  async *epoch(): AsyncIterable<Batch> {
    yield* this.batches();
  }

  position(): SourcePosition {
    return { openedRandom: this.openedRandom, pulled: this.pulled };
  }

  seek(p: SourcePosition, batch: number): Promise<void> {
    // At an epoch's start nothing is skipped: the epoch draws its order afresh, as it did.
    this.pendingSeek = batch === 0 ? null : { p, batch };
    return Promise.resolve();
  }

  /** The epoch's batches, synchronously (evaluate on in-memory data stays synchronous). */
  *batches(): Iterable<Batch> {
    const n = this.samples;
    const seek = this.pendingSeek;
    this.pendingSeek = null;
    const now = seek === null ? null : getRandomState();
    if (seek !== null && seek.p.openedRandom !== null) setRandomState(seek.p.openedRandom);
    if (this.shuffle) this.openedRandom = getRandomState();
    const order = this.shuffle ? shuffledOrder(n, makeRng()) : null;
    if (now !== null) setRandomState(now);
    this.pulled = seek?.batch ?? 0;
    const cut = (t: Tensor, start: number, end: number) => (order === null ? sliceSamples(t, start, end) : takeSamples(t, order, start, end));
    for (let start = this.pulled * this.batchSize; start < n; start += this.batchSize) {
      this.pulled++;
      const end = Math.min(start + this.batchSize, n);
      yield {
        xs: this.xs.map((t) => cut(t, start, end)),
        ys: this.ys.map((t) => cut(t, start, end)),
        sampleWeight: mapWeights(this.sampleWeight, (t) => cut(t, start, end)),
      };
    }
  }
}

/** Throws unless a batch's per-sample shapes equal the first batch's (a dataset must not change feature shape). */
function checkStableShapes(reference: (readonly number[])[], tensors: readonly Tensor[], names: readonly string[], index: number, what: string): void {
  tensors.forEach((t, i) => {
    if (!shapesEqual(reference[i], t.shape.slice(1))) {
      throw new ShapeError(`${what}: batch ${index} has '${names[i]}' samples of shape ${formatShape(t.shape.slice(1))}, the first batch had ${formatShape(reference[i])}; a dataset must keep its feature shapes`);
    }
  });
}

/**
 * A dataset's elements `{ xs, ys, sampleWeight? }` as checked batches. Without `stepsPerEpoch` each epoch
 * is a fresh pass (a new iterator); with it, one iterator runs on across epochs (TF.js / Keras) and
 * `exhausted` turns true when it ends before an epoch's steps.
 */
export class DatasetSource implements BatchSource {
  readonly steps: number | null;
  readonly samples = null;
  exhausted = false;
  private iterator: AsyncIterator<unknown> | Iterator<unknown> | null = null;
  private shapes: (readonly number[])[] | null = null;
  private index = 0;
  private fresh = false;
  private pending: Batch | null = null;
  private openedRandom: object | null = null;
  private pulled = 0;
  private startStep = 0;

  constructor(
    readonly dataset: AsyncIterable<unknown> | Iterable<unknown>,
    readonly model: Trainable,
    readonly needTargets: boolean,
    stepsPerEpoch: number | null,
    readonly what: string,
    /** Whether a limited number of steps resumes the same iterator next epoch (training) or restarts it (validation). */
    readonly resume = true,
  ) {
    const size = declaredSize(dataset);
    if (stepsPerEpoch === null && size === Infinity) {
      throw new ValueError(`${what}: the dataset is endless (repeat() without a count); pass stepsPerEpoch (validationSteps for validation data) to say how many batches make an epoch`);
    }
    this.steps = stepsPerEpoch ?? size;
  }

  private open(): AsyncIterator<unknown> | Iterator<unknown> {
    this.openedRandom = getRandomState();
    this.pulled = 0;
    const d = this.dataset as unknown as Record<symbol, () => AsyncIterator<unknown> | Iterator<unknown>>;
    return typeof d[Symbol.asyncIterator] === 'function' ? d[Symbol.asyncIterator]() : d[Symbol.iterator]();
  }

  /** Reads the first batch ahead (to build and check the model before training); it is still the first one yielded. */
  async peek(): Promise<Batch> {
    this.iterator = this.open();
    this.fresh = true;
    const next = await this.iterator.next();
    if (next.done === true) throw new ValueError(`${this.what}: the dataset yielded no batch`);
    this.pulled++;
    this.pending = this.toBatch(next.value);
    return this.pending;
  }

  /** Whether one iterator runs on across epochs (a limited number of steps of a longer dataset). */
  private get persistent(): boolean {
    return this.resume && this.steps !== null && declaredSize(this.dataset) !== this.steps;
  }

  position(): SourcePosition {
    return { openedRandom: this.openedRandom, pulled: this.pulled };
  }

  async seek(p: SourcePosition, batch: number): Promise<void> {
    // A fresh pass per epoch needs nothing at an epoch's start; otherwise the pass is re-read up to where it was.
    if (batch === 0 && !this.persistent) return;
    if (p.openedRandom === null) return;
    const now = getRandomState();
    setRandomState(p.openedRandom);
    await this.iterator?.return?.();
    this.iterator = this.open();
    this.pending = null;
    try {
      for (let i = 0; i < p.pulled; i++) {
        const next = await this.iterator.next();
        if (next.done === true) throw new NeuriteError(`${this.what}: resuming needs the dataset's batch ${p.pulled} of this pass, but it ended after ${i}; resume with the same data`);
        this.pulled++;
      }
    } finally {
      setRandomState(now);
    }
    this.fresh = true;
    this.startStep = batch;
  }

  async *epoch(): AsyncIterable<Batch> {
    const persistent = this.persistent;
    if (this.iterator === null || (!persistent && !this.fresh)) this.iterator = this.open();
    this.fresh = false;
    let step = this.startStep;
    this.startStep = 0;
    if (this.pending !== null) {
      const first = this.pending;
      this.pending = null;
      step = 1;
      yield first;
    }
    for (; this.steps === null || step < this.steps; step++) {
      const next = await this.iterator.next();
      if (next.done === true) {
        if (this.steps !== null && persistent) this.exhausted = true;
        return;
      }
      this.pulled++;
      yield this.toBatch(next.value);
    }
  }

  /** Normalizes one element; every check happens before the batch reaches the model. */
  toBatch(element: unknown): Batch {
    const what = `${this.what}: dataset batch ${this.index}`;
    if (!isPlainObject(element) || !('xs' in element)) {
      throw new ValueError(`${what}: expected an element { xs, ys, sampleWeight? }, received ${describeValue(element)}`);
    }
    const unknown = Object.keys(element).filter((k) => k !== 'xs' && k !== 'ys' && k !== 'sampleWeight');
    if (unknown.length > 0) throw new ValueError(`${what}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; an element is { xs, ys, sampleWeight? }`);
    const xs = toTensorList(element.xs, this.model.inputNames, `${what} xs`);
    if (this.needTargets && element.ys === undefined) throw new ValueError(`${what}: expected targets 'ys' in every element`);
    const ys = element.ys === undefined ? [] : toTensorList(element.ys, this.model.outputNames, `${what} ys`);
    const n = xs[0].shape[0];
    ys.forEach((y, i) => {
      if (y.shape[0] !== n) throw new ShapeError(`${what}: xs has ${n} samples but ys '${this.model.outputNames[i]}' has ${y.shape[0]} ${formatShape(y.shape)}`);
    });
    for (const t of [...xs, ...ys]) checkFinite(t, what);
    const sw = toSampleWeights(element.sampleWeight, this.model.outputNames, n, `${what} sampleWeight`);
    this.shapes ??= xs.map((t) => t.shape.slice(1));
    checkStableShapes(this.shapes, xs, this.model.inputNames, this.index, this.what);
    this.index++;
    return { xs, ys, sampleWeight: sw };
  }
}

/** The error for `y` or batch options given alongside a dataset. */
export function datasetWithTargets(op: string): NeuriteError {
  return new ValueError(`${op}: a dataset carries its own targets ({ xs, ys } elements); call ${op}(dataset, options) without y`);
}
