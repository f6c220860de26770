/**
 * Making the breast-cancer model smaller: `npx tsx examples/compress.ts`.
 * Breast Cancer Wisconsin (Diagnostic), UCI, CC BY 4.0 (examples/data/README.md). Trains a teacher MLP,
 * then compresses it the three ways the founding document names, and prints one table:
 *  - quantization: the teacher with int8 weights (scale per unit) computing in int8;
 *  - magnitude pruning: 80 % of the teacher's kernel weights zeroed, fine-tuned with the masks kept;
 *  - distillation: a student with ⅛ of the teacher's parameters trained on the teacher's softened
 *    outputs, then pruned and quantized in turn.
 * Columns: parameters, weights.bin bytes (and gzipped, where zeros pay off), resident weight bytes,
 * predict speed, test accuracy.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  Dense, Distiller, logitsDistillation, losses, polynomialDecay, prune, quantize, QuantizedLayer, saveQuantized, Sequential, setSeed,
  stripPruning, Tensor, tensor, UpdatePruningStep, type Layer, readCsv, trainTestSplit, Normalization,
} from '../src/index.js';
import { cnnShapes } from './cnn-shapes.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The weights file a saved model's manifest names (saves write it under a fresh unique name). */
function weightsFile(dir: string): string {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  return join(dir, json.weightsManifest[0].paths[0]);
}

/** Models output two logits; the loss is sparse cross-entropy on them (what logits distillation needs). */
const logitsLoss = (y: Tensor, p: Tensor): Tensor => losses.sparseCategoricalCrossentropy(y, p, { fromLogits: true });

function mlp(hidden: number[]): Sequential {
  const layers = hidden.map((units, i) => new Dense(units, { activation: 'relu', ...(i === 0 ? { inputShape: [30] } : {}) }));
  return new Sequential([...layers, new Dense(2)]);
}

/** One row of the table. */
export interface Row {
  model: string;
  params: number;
  fileBytes: number;
  gzipBytes: number;
  residentBytes: number;
  samplesPerSecond: number;
  accuracy: number;
}

function residentBytes(layers: Layer[]): number {
  return layers.reduce((n, l) => n + (l instanceof QuantizedLayer ? l.residentBytes : 4 * l.namedWeights().reduce((s, w) => s + w.value.size, 0)), 0);
}

function accuracy(model: Sequential, x: Tensor, y: number[]): number {
  const logits = model.predict(x).data;
  let right = 0;
  y.forEach((label, i) => (right += (logits[2 * i + 1] > logits[2 * i] ? 1 : 0) === label ? 1 : 0));
  return right / y.length;
}

/** Samples per second of predict on `x` tiled to ~`samples` rows, best of 3. */
function speed(model: Sequential, x: Tensor, samples: number): number {
  const reps = Math.ceil(samples / x.shape[0]);
  const big = new Float32Array(reps * x.size);
  for (let r = 0; r < reps; r++) big.set(x.data, r * x.size);
  const xs = new Tensor(big, [reps * x.shape[0], x.shape[1]]);
  model.predict(xs, { batchSize: 256 });
  let best = Infinity;
  for (let t = 0; t < 3; t++) {
    const t0 = performance.now();
    model.predict(xs, { batchSize: 256 });
    best = Math.min(best, performance.now() - t0);
  }
  return xs.shape[0] / (best / 1000);
}

async function measure(name: string, model: Sequential, x: Tensor, y: number[], speedSamples: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-compress-'));
  try {
    const quantized = model.layers.some((l) => l instanceof QuantizedLayer);
    if (quantized) await saveQuantized(model, dir);
    else await model.save(dir);
    const bin = readFileSync(weightsFile(dir));
    return {
      model: name,
      params: model.countParams(),
      fileBytes: statSync(weightsFile(dir)).size,
      gzipBytes: gzipSync(bin, { level: 9 }).length,
      residentBytes: residentBytes(model.layers),
      samplesPerSecond: speed(model, x, speedSamples),
      accuracy: accuracy(model, x, y),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fine-tunes `model` pruned on a polynomial schedule to `sparsity`, masks kept by UpdatePruningStep. */
async function pruneAndTune(model: Sequential, x: Tensor, y: Tensor, sparsity: number, epochs: number): Promise<Sequential> {
  const steps = Math.ceil(x.shape[0] / 32) * epochs;
  const schedule = polynomialDecay({ initialSparsity: 0.3, finalSparsity: sparsity, beginStep: 0, endStep: Math.floor(steps * 0.6), frequency: 10 });
  const pruned = prune(model, { schedule });
  pruned.compile({ optimizer: 'adam', loss: logitsLoss });
  await pruned.fit(x, y, { epochs, batchSize: 32, verbose: 0, callbacks: [new UpdatePruningStep()] });
  return stripPruning(pruned);
}

/** The whole pipeline; returns the table rows (first row the float teacher). */
export async function compressExample({ epochs = 150, tuneEpochs = 40, speedSamples = 20_000 } = {}): Promise<Row[]> {
  setSeed(11);
  const { rows } = readCsv(join(here, 'data', 'breast-cancer.csv'));
  const labels = rows.map((r) => r[0]);
  const features = rows.map((r) => r.slice(1));
  // Stratified 80/20 split; standardized with training statistics only.
  const split = trainTestSplit(features, labels, { testSize: 0.2, seed: 'breast-cancer' });
  const norm = new Normalization().adapt(split.xTrain as number[][]);
  const xTrain = tensor(norm.apply(split.xTrain as number[][]));
  const xTest = tensor(norm.apply(split.xTest as number[][]));
  const yTrain = tensor(split.yTrain as number[]);
  const yTest = split.yTest as number[];

  const teacher = mlp([64, 32]);
  teacher.compile({ optimizer: 'adam', loss: logitsLoss });
  await teacher.fit(xTrain, yTrain, { epochs, batchSize: 32, verbose: 0 });

  const student = mlp([16]);
  const distiller = new Distiller({ teacher, student, distillationLoss: logitsDistillation({ temperature: 3 }), studentLossWeight: 0.3 });
  distiller.compile({ optimizer: 'adam', loss: logitsLoss });
  await distiller.fit(xTrain, yTrain, { epochs, batchSize: 32, verbose: 0 });

  const teacherPruned = await pruneAndTune(teacher, xTrain, yTrain, 0.8, tuneEpochs);
  const studentPruned = await pruneAndTune(student, xTrain, yTrain, 0.8, tuneEpochs);
  const calibration = xTrain;
  const table: [string, Sequential][] = [
    ['teacher 30-64-32-2 float32', teacher],
    ['teacher int8', quantize(teacher, 'int8')],
    ['teacher int8, calibrated', quantize(teacher, 'int8', { calibration })],
    ['teacher int8, 7-bit activations (relaxed SIMD)', quantize(teacher, 'int8', { activationBits: 7 })],
    ['teacher float16', quantize(teacher, 'float16')],
    ['teacher pruned 80 %', teacherPruned],
    ['student 30-16-2, distilled', student],
    ['student distilled + pruned 80 %', studentPruned],
    ['student distilled + pruned + int8', quantize(studentPruned, 'int8')],
  ];
  const out: Row[] = [];
  for (const [name, model] of table) out.push(await measure(name, model, xTest, yTest, speedSamples));
  return out;
}

/** The CNN of examples/cnn-shapes.ts (circles vs crosses), float32 against int8 and float16 on its test images. */
export async function cnnQuantization(
  options: { epochs?: number; samples?: number; testSamples?: number } = {},
): Promise<{ float32: number; int8: number; int8Act7: number; float16: number; fileRatio: number }> {
  const { model, testAccuracy, test } = await cnnShapes({ ...options, verbose: 0 });
  const int8 = quantize(model, 'int8');
  const int8Act7 = quantize(model, 'int8', { activationBits: 7 });
  const half = quantize(model, 'float16');
  const dirs = [mkdtempSync(join(tmpdir(), 'neurite-cnn-')), mkdtempSync(join(tmpdir(), 'neurite-cnn-'))];
  try {
    await model.save(dirs[0]);
    await saveQuantized(int8, dirs[1]);
    const fileRatio = statSync(weightsFile(dirs[1])).size / statSync(weightsFile(dirs[0])).size;
    const accuracy = (m: typeof model): number => m.evaluate(test.x, test.y).accuracy;
    return { float32: testAccuracy, int8: accuracy(int8), int8Act7: accuracy(int8Act7), float16: accuracy(half), fileRatio };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** The rows as a Markdown table. */
export function renderRows(rows: Row[]): string {
  const head = ['model', 'params', 'file bytes', 'gzipped', 'resident weight bytes', 'predict samples/s', 'test accuracy'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push(`| ${[r.model, r.params, r.fileBytes, r.gzipBytes, r.residentBytes, Math.round(r.samplesPerSecond), (100 * r.accuracy).toFixed(1) + ' %'].join(' | ')} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  compressExample()
    .then(async (rows) => {
      console.log(renderRows(rows));
      const cnn = await cnnQuantization();
      const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
      console.log(`\nCNN (circles vs crosses) test accuracy: float32 ${pct(cnn.float32)}, int8 ${pct(cnn.int8)}, int8 with 7-bit activations ${pct(cnn.int8Act7)}, float16 ${pct(cnn.float16)}; int8 file ${cnn.fileRatio.toFixed(3)} × float32`);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
