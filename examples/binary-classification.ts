/**
 * neurite's bundled example: `npm run example`.
 *  1. The seed example, as written in Keras: a subclassed model with one sigmoid Dense unit.
 *  2. A real task: breast-cancer diagnosis (Breast Cancer Wisconsin (Diagnostic), UCI, CC BY 4.0; see
 *     examples/data/README.md) with a small MLP, validation split, early stopping, test metrics, a
 *     save / load round trip, and pictures: learning curves, confusion matrix, ROC curve and the layer
 *     graph, written as SVG files (open them in any browser).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import {
  Dense, EarlyStopping, loadModel, Model, Normalization, plotConfusionMatrix, plotHistory, plotModel, plotRoc, readCsv,
  Sequential, setSeed, Tensor, trainTestSplit,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Part 1: the seed example. Labels follow a rule (x0 + x1 > 1) so there is something to learn. */
export async function seedExample({ epochs = 100, verbose = 1 }: { epochs?: number; verbose?: 0 | 1 | 2 } = {}) {
  setSeed(42);
  const rng = seedrandom('seed-example-data');
  const X = Array.from({ length: 100 }, () => [rng(), rng()]);
  const y = X.map(([a, b]) => (a + b > 1 ? 1 : 0));

  class SimpleNN extends Model {
    dense = new Dense(1, { activation: 'sigmoid' });
    call(inputs: Tensor) {
      return this.dense.apply(inputs);
    }
  }

  const model = new SimpleNN();
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(X, y, { epochs, verbose });
  const predictions = model.predict(X);
  return { model, history, predictions };
}

/** Part 2: breast-cancer diagnosis on real data. */
export async function breastCancer({ epochs = 200, verbose = 1, plotDir }: { epochs?: number; verbose?: 0 | 1 | 2; plotDir?: string } = {}) {
  setSeed(7);
  const { rows } = readCsv(join(here, 'data', 'breast-cancer.csv'));
  const labels = rows.map((r) => r[0]);
  const features = rows.map((r) => r.slice(1));
  // Stratified: both parts keep the share of malignant cases.
  const split = trainTestSplit(features, labels, { testSize: 0.2, seed: 'breast-cancer' });
  const norm = new Normalization().adapt(split.xTrain as number[][]); // training statistics only
  const xTrain = norm.apply(split.xTrain as number[][]);
  const xTest = norm.apply(split.xTest as number[][]);
  const yTrain = split.yTrain as number[];
  const yTest = split.yTest as number[];

  const model = new Sequential([
    new Dense(16, { activation: 'relu', inputShape: [30] }),
    new Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  if (verbose > 0) model.printSummary();

  const history = await model.fit(xTrain, yTrain, {
    epochs,
    batchSize: 32,
    validationSplit: 0.2,
    verbose,
    callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 20, restoreBestWeights: true })],
  });

  const probabilities = Array.from(model.predict(xTest).data);
  const metrics = testMetrics(model, xTest, yTest, probabilities);
  const plots = plotDir === undefined ? [] : await writePlots(plotDir, model, history, yTest, probabilities);

  // Save, load back, and check the loaded model predicts the same.
  const dir = mkdtempSync(join(tmpdir(), 'neurite-example-'));
  try {
    await model.save(dir);
    const loaded = await loadModel(dir);
    const again = loaded.predict(xTest).data;
    const maxDiff = probabilities.reduce((m, p, i) => Math.max(m, Math.abs(p - again[i])), 0);
    return { model, history, metrics, roundTripMaxDiff: maxDiff, savedTo: dir, plots };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The four pictures of a trained classifier, as SVG files in `dir`; returns their paths. */
async function writePlots(dir: string, model: Sequential, history: Awaited<ReturnType<Sequential['fit']>>, yTest: number[], probabilities: number[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  return [
    await plotHistory(history, join(dir, 'history.svg')),
    await plotConfusionMatrix(yTest, probabilities, join(dir, 'confusion-matrix.svg'), { labels: ['benign', 'malignant'] }),
    (await plotRoc(yTest, probabilities, join(dir, 'roc.svg'))).path,
    await plotModel(model, join(dir, 'model.svg')),
  ];
}

/** Test-set loss and metrics from `evaluate`, plus the confusion matrix at threshold 0.5. */
interface TestMetrics {
  loss: number;
  accuracy: number;
  precision: number;
  recall: number;
  auc: number;
  confusion: { tp: number; fp: number; tn: number; fn: number };
}

function testMetrics(model: Sequential, x: number[][], y: number[], probabilities: number[]): TestMetrics {
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'precision', 'recall', 'auc'] });
  const evaluated = model.evaluate(x, y);
  const confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  probabilities.forEach((p, i) => {
    const predicted = p >= 0.5 ? 1 : 0;
    if (predicted === 1) confusion[y[i] === 1 ? 'tp' : 'fp']++;
    else confusion[y[i] === 0 ? 'tn' : 'fn']++;
  });
  const { loss, accuracy, precision, recall, auc } = evaluated;
  return { loss, accuracy, precision, recall, auc, confusion };
}

async function main() {
  console.log('== 1. The seed example: SimpleNN (Dense(1, sigmoid)) on 100 random points, 100 epochs\n');
  const seed = await seedExample({ verbose: 0 });
  const h = seed.history.history;
  console.log(`final loss ${h.loss.at(-1)!.toFixed(4)}, accuracy ${h.accuracy.at(-1)!.toFixed(4)}`);
  console.log(`predictions: shape [${seed.predictions.shape.join(', ')}], first three ${Array.from(seed.predictions.data.slice(0, 3), (v) => v.toFixed(3)).join(', ')}\n`);

  console.log('== 2. Breast cancer diagnosis (569 patients, 30 features): 30 → 16 relu → 1 sigmoid\n');
  const started = Date.now();
  // verbose 0 and a summary afterwards (verbose 1 draws a live progress bar, 2 prints a line per epoch).
  const { model, metrics, history, roundTripMaxDiff, plots } = await breastCancer({ verbose: 0, plotDir: resolve(here, '..', 'example-output') });
  model.printSummary();
  const last = (key: string) => history.history[key]?.at(-1)?.toFixed(4) ?? '-';
  console.log(`last epoch: loss ${last('loss')}  accuracy ${last('accuracy')}  val_loss ${last('val_loss')}  val_accuracy ${last('val_accuracy')}`);
  const m = metrics;
  console.log(`\nstopped after ${history.epoch.length} epochs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`test set (${m.confusion.tp + m.confusion.fp + m.confusion.tn + m.confusion.fn} patients, never seen in training):`);
  console.log(`  loss ${m.loss.toFixed(4)}  accuracy ${m.accuracy.toFixed(4)}  precision ${m.precision.toFixed(4)}  recall ${m.recall.toFixed(4)}  AUC ${m.auc.toFixed(4)}`);
  console.log('  confusion matrix     predicted benign  predicted malignant');
  console.log(`    actual benign      ${String(m.confusion.tn).padStart(16)}  ${String(m.confusion.fp).padStart(19)}`);
  console.log(`    actual malignant   ${String(m.confusion.fn).padStart(16)}  ${String(m.confusion.tp).padStart(19)}`);
  console.log(`saved with model.save(), loaded with loadModel(): max prediction difference ${roundTripMaxDiff}`);
  console.log(`\npictures (SVG, open in a browser):\n${plots.map((p) => `  ${p}`).join('\n')}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
