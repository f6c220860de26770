/**
 * A small convolutional network telling crosses from circles: `npx tsx examples/cnn-shapes.ts`.
 *
 * The images are drawn in code from a fixed seed: 16×16 pixels, one channel, a ring or a two-stroke cross of
 * random size, position and rotation, anti-aliased, under Gaussian noise. Two Conv2D + MaxPooling2D stages
 * find strokes, arcs and crossings wherever they are; two Dense layers decide. The test images come from a
 * different seed and are never seen in training.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { Adam, Conv2D, Dense, Flatten, MaxPooling2D, Sequential, setSeed, Tensor, tensor } from '../src/index.js';

/** Side of the square images, in pixels. */
export const IMAGE_SIZE = 16;

/** Label 1 is a cross, label 0 a circle. */
export type ShapeKind = 'circle' | 'cross';

/** A batch of images `[n, 16, 16, 1]` (NHWC) and their labels (1 = cross, 0 = circle). */
export interface ShapeImages {
  x: Tensor;
  y: number[];
}

/** Standard normal deviate (Box–Muller) from a uniform generator. */
function gaussian(rng: () => number): number {
  const u = 1 - rng(); // in (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Distance from point p to the segment a–b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  // Project p onto the line, clamped to the segment's ends.
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Draws one shape into `out` (IMAGE_SIZE² pixels, row-major): radius 3–6.5 px, centred so it fits, strokes
 * about 2 px wide with a linear fall-off (intensity 1 − distance to the stroke), plus noise of std `noise`.
 */
export function drawShape(kind: ShapeKind, rng: () => number, out: Float32Array, noise = 0.2): void {
  const r = 3 + 3.5 * rng();
  const cx = r + (IMAGE_SIZE - 1 - 2 * r) * rng();
  const cy = r + (IMAGE_SIZE - 1 - 2 * r) * rng();
  const angle = (Math.PI / 2) * rng(); // a cross at any angle: '+' at 0, '×' at π/4
  const ux = r * Math.cos(angle);
  const uy = r * Math.sin(angle);
  for (let i = 0; i < IMAGE_SIZE; i++) {
    for (let j = 0; j < IMAGE_SIZE; j++) {
      const d =
        kind === 'circle'
          ? Math.abs(Math.hypot(j - cx, i - cy) - r)
          : Math.min(segmentDistance(j, i, cx - ux, cy - uy, cx + ux, cy + uy), segmentDistance(j, i, cx + uy, cy - ux, cx - uy, cy + ux));
      out[i * IMAGE_SIZE + j] = Math.max(0, 1 - d) + noise * gaussian(rng);
    }
  }
}

/** `n` images from `seed`, alternating cross / circle so both classes are exactly balanced. */
export function makeShapes(n: number, seed: string, noise = 0.2): ShapeImages {
  const rng = seedrandom(seed);
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  const data = new Float32Array(n * pixels);
  const y: number[] = [];
  for (let k = 0; k < n; k++) {
    const label = k % 2 === 0 ? 1 : 0;
    drawShape(label === 1 ? 'cross' : 'circle', rng, data.subarray(k * pixels, (k + 1) * pixels), noise);
    y.push(label);
  }
  return { x: tensor(data, [n, IMAGE_SIZE, IMAGE_SIZE, 1]), y };
}

/** A 16×16 image as text, darkest to brightest ' .:-=+*#%@', for a look at the data. */
export function renderImage(images: Tensor, index: number): string {
  const ramp = ' .:-=+*#%@';
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  const img = images.data.subarray(index * pixels, (index + 1) * pixels);
  const rows: string[] = [];
  for (let i = 0; i < IMAGE_SIZE; i++) {
    let row = '';
    for (let j = 0; j < IMAGE_SIZE; j++) {
      const v = Math.max(0, Math.min(0.999, img[i * IMAGE_SIZE + j]));
      row += ramp[Math.floor(v * ramp.length)].repeat(2); // two characters per pixel keep the aspect
    }
    rows.push(row);
  }
  return rows.join('\n');
}

/** The classifier: 16×16×1 → conv 3×3×8 → pool → conv 3×3×16 → pool → 64 → 16 relu → sigmoid. */
export function buildShapesModel(): Sequential {
  return new Sequential([
    new Conv2D(8, 3, { activation: 'relu', inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }), // 14×14×8
    new MaxPooling2D({ poolSize: 2 }), // 7×7×8
    new Conv2D(16, 3, { activation: 'relu' }), // 5×5×16
    new MaxPooling2D({ poolSize: 2 }), // 2×2×16
    new Flatten(), // 64
    new Dense(16, { activation: 'relu' }),
    new Dense(1, { activation: 'sigmoid' }),
  ]);
}

/** Options of `cnnShapes`. */
export interface CnnShapesOptions {
  epochs?: number;
  verbose?: 0 | 1 | 2;
  /** Training images (a fifth of them held out for validation). */
  samples?: number;
  /** Test images, drawn from another seed. */
  testSamples?: number;
}

/** Trains the shape classifier and measures it on the held-out test images. */
export async function cnnShapes({ epochs = 12, verbose = 1, samples = 1600, testSamples = 500 }: CnnShapesOptions = {}) {
  setSeed(11);
  const train = makeShapes(samples, 'shapes-train');
  const test = makeShapes(testSamples, 'shapes-test');

  const model = buildShapesModel();
  model.compile({ optimizer: new Adam({ learningRate: 0.005 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  if (verbose > 0) model.printSummary();

  const history = await model.fit(train.x, train.y, { epochs, batchSize: 32, validationSplit: 0.2, verbose });
  const { loss: testLoss, accuracy: testAccuracy } = model.evaluate(test.x, test.y);
  return { model, history, testLoss, testAccuracy, test };
}

async function main() {
  const preview = makeShapes(2, 'shapes-preview');
  console.log('Two of the generated 16×16 images (a cross, then a circle), with noise:\n');
  console.log(`${renderImage(preview.x, 0)}\n\n${renderImage(preview.x, 1)}\n`);

  const started = Date.now();
  const { history, testAccuracy, testLoss } = await cnnShapes();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const h = history.history;
  console.log(`\ntrained ${history.epoch.length} epochs in ${seconds} s; last val_accuracy ${h.val_accuracy.at(-1)!.toFixed(4)}`);
  console.log(`test set (500 new images): loss ${testLoss.toFixed(4)}  accuracy ${testAccuracy.toFixed(4)}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
