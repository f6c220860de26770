/**
 * A small residual CNN with BatchNormalization and augmentation on real images: `npm run example:fashion`.
 *
 * Data: 3000 training and 1000 test images of Fashion-MNIST (28×28 grey clothing, 10 classes), shipped in
 * examples/data/fashion-mnist/ with their provenance. The residual network (stem, two residual blocks with
 * BatchNormalization, a dense head) is written as a subclassed Model, adding the skip paths with
 * `ops.add` in `call`; it trains with random translations and flips, and is compared with a plain
 * Conv2D + MaxPooling2D network trained the same way, on the same images.
 *
 * Measured (5 epochs, Adam 3e-3, batch 32, about 100 s on one core for both): test accuracy 0.820 for the
 * residual network (27 862 weights) against 0.782 for the plain one (8 746 weights).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  Adam, BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D, Model, ops, RandomFlip,
  RandomTranslation, ReLU, Rescaling, Sequential, setSeed, Tensor,
} from '../src/index.js';
import type { CallContext, History } from '../src/index.js';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), 'data', 'fashion-mnist');

/** The class names, by label. */
export const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Reads a gzipped IDX file: its dimensions and its uint8 payload. */
function readIdx(file: string): { dims: number[]; bytes: Uint8Array } {
  const raw = gunzipSync(readFileSync(resolve(DATA, file)));
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const rank = raw[3];
  if (raw[0] !== 0 || raw[1] !== 0 || raw[2] !== 0x08) throw new Error(`${file}: not an IDX file of unsigned bytes`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const bytes = raw.subarray(4 + 4 * rank);
  if (bytes.length !== dims.reduce((n, d) => n * d, 1)) throw new Error(`${file}: ${bytes.length} bytes for dimensions ${dims.join('×')}`);
  return { dims, bytes };
}

/** `n` images as `[n, 28, 28, 1]` grey levels 0–255 (the model rescales them) and their labels. */
export function loadFashion(split: 'train' | 'test', n?: number): { x: Tensor; y: number[] } {
  const images = readIdx(split === 'train' ? 'train-images-3000-idx3-ubyte.gz' : 'test-images-1000-idx3-ubyte.gz');
  const labels = readIdx(split === 'train' ? 'train-labels-3000-idx1-ubyte.gz' : 'test-labels-1000-idx1-ubyte.gz');
  const count = Math.min(n ?? images.dims[0], images.dims[0]);
  const [, h, w] = images.dims;
  return { x: new Tensor(Float32Array.from(images.bytes.subarray(0, count * h * w)), [count, h, w, 1]), y: Array.from(labels.bytes.subarray(0, count)) };
}

/**
 * conv 3×3 → BatchNormalization → relu → conv 3×3 → BatchNormalization, added to its input, then relu.
 * (momentum 0.8 rather than 0.99: a short run has only ~100 steps per epoch, and the moving statistics
 * must forget their initial values within a few dozen of them.)
 */
class ResidualBlock extends Model {
  conv1: Conv2D;
  bn1 = new BatchNormalization({ momentum: 0.8 });
  conv2: Conv2D;
  bn2 = new BatchNormalization({ momentum: 0.8 });
  relu = new ReLU();
  constructor(filters: number) {
    super();
    this.conv1 = new Conv2D(filters, 3, { padding: 'same', useBias: false });
    this.conv2 = new Conv2D(filters, 3, { padding: 'same', useBias: false });
  }
  override call(x: Tensor, ctx?: CallContext): Tensor {
    const h = this.relu.apply(this.bn1.apply(this.conv1.apply(x), ctx));
    return this.relu.apply(ops.add(x, this.bn2.apply(this.conv2.apply(h), ctx)));
  }
}

/**
 * 28×28×1 → rescale, augment → conv 3×3×12, BN, relu → pool → residual block (12) → conv 3×3×24 stride 2,
 * BN, relu → residual block (24) → flatten → 10-way softmax (global average pooling would discard where
 * the parts of a garment are, which matters at 7×7).
 */
export class ResidualCnn extends Model {
  rescale = new Rescaling(1 / 255);
  shift = new RandomTranslation(0.08, 0.08, { fillMode: 'constant', seed: 1 });
  flip = new RandomFlip('horizontal', { seed: 2 });
  stem = new Conv2D(12, 3, { padding: 'same', useBias: false });
  stemNorm = new BatchNormalization({ momentum: 0.8 });
  pool = new MaxPooling2D({ poolSize: 2 });
  block1 = new ResidualBlock(12);
  down = new Conv2D(24, 3, { strides: 2, padding: 'same', useBias: false });
  downNorm = new BatchNormalization({ momentum: 0.8 });
  block2 = new ResidualBlock(24);
  flatten = new Flatten();
  head = new Dense(10, { activation: 'softmax' });
  relu = new ReLU();

  override call(x: Tensor, ctx?: CallContext): Tensor {
    let h = this.flip.apply(this.shift.apply(this.rescale.apply(x), ctx), ctx);
    h = this.pool.apply(this.relu.apply(this.stemNorm.apply(this.stem.apply(h), ctx)));
    h = this.block1.call(h, ctx);
    h = this.relu.apply(this.downNorm.apply(this.down.apply(h), ctx));
    h = this.block2.call(h, ctx);
    return this.head.apply(this.flatten.apply(h));
  }
}

/** The plain baseline: the same augmentation, conv 3×3×12 → pool → conv 3×3×24 → pool → dense 10, no normalization. */
export function plainCnn(): Sequential {
  return new Sequential([
    new Rescaling(1 / 255, { inputShape: [28, 28, 1] }),
    new RandomTranslation(0.08, 0.08, { fillMode: 'constant', seed: 1 }),
    new RandomFlip('horizontal', { seed: 2 }),
    new Conv2D(12, 3, { activation: 'relu' }),
    new MaxPooling2D({ poolSize: 2 }),
    new Conv2D(24, 3, { activation: 'relu' }),
    new MaxPooling2D({ poolSize: 2 }),
    new Flatten(),
    new Dense(10, { activation: 'softmax' }),
  ]);
}

/** Options of `fashionCnn`. */
export interface FashionCnnOptions {
  epochs?: number;
  verbose?: 0 | 1 | 2;
  /** Training images used (at most 3000). */
  samples?: number;
  /** Test images used (at most 1000). */
  testSamples?: number;
}

/** One trained model's results. */
export interface FashionResult {
  model: Model;
  history: History;
  testAccuracy: number;
  testLoss: number;
}

async function train(model: Model, data: { x: Tensor; y: number[] }, test: { x: Tensor; y: number[] }, epochs: number, verbose: 0 | 1 | 2): Promise<FashionResult> {
  model.compile({ optimizer: new Adam({ learningRate: 0.003 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(data.x, data.y, { epochs, batchSize: 32, verbose });
  const { loss, accuracy } = model.evaluate(test.x, test.y);
  return { model, history, testAccuracy: accuracy, testLoss: loss };
}

/** Trains the residual CNN and the plain baseline on the same images; returns both results. */
export async function fashionCnn({ epochs = 5, verbose = 1, samples = 3000, testSamples = 1000 }: FashionCnnOptions = {}) {
  const data = loadFashion('train', samples);
  const test = loadFashion('test', testSamples);
  setSeed(7);
  const residual = await train(new ResidualCnn(), data, test, epochs, verbose);
  setSeed(7);
  const plain = await train(plainCnn(), data, test, epochs, verbose);
  return { residual, plain };
}

async function main() {
  const started = Date.now();
  const { residual, plain } = await fashionCnn();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\ntrained both models in ${seconds} s on 3000 images; test set: 1000 images`);
  console.log(`residual CNN + BatchNormalization: accuracy ${residual.testAccuracy.toFixed(4)}  loss ${residual.testLoss.toFixed(4)}  (${residual.model.countParams()} weights)`);
  console.log(`plain Conv2D + pooling:            accuracy ${plain.testAccuracy.toFixed(4)}  loss ${plain.testLoss.toFixed(4)}  (${plain.model.countParams()} weights)`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
