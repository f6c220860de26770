/**
 * Why did the model say that? `npx tsx examples/explain-breast-cancer.ts`
 * Trains the breast-cancer MLP (as in binary-classification.ts), then explains it:
 *  - one patient, locally: kernel SHAP, LIME and integrated gradients side by side (console and SVG bar charts);
 *  - globally: permutation importance of the 30 features on the test set.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dense, explain, Normalization, readCsv, Sequential, setSeed, tensor, trainTestSplit } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Trains the model and writes the explanations to `outDir`; small `nsamples` / `epochs` keep test runs short. */
export async function explainBreastCancer({ epochs = 60, nsamples = 2048, outDir = 'example-output', verbose = 1 }: { epochs?: number; nsamples?: number; outDir?: string; verbose?: 0 | 1 } = {}) {
  setSeed(7);
  const { columns, rows } = readCsv(join(here, 'data', 'breast-cancer.csv'));
  const names = columns.slice(1);
  const split = trainTestSplit(rows.map((r) => r.slice(1)), rows.map((r) => r[0]), { testSize: 0.2, seed: 'breast-cancer' });
  const norm = new Normalization().adapt(split.xTrain as number[][]);
  const xTrain = norm.apply(split.xTrain as number[][]);
  const xTest = norm.apply(split.xTest as number[][]);
  const model = new Sequential([new Dense(16, { activation: 'relu', inputShape: [30] }), new Dense(1, { activation: 'sigmoid' })]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  await model.fit(xTrain, split.yTrain as number[], { epochs, batchSize: 32, verbose: 0 });

  const train = tensor(xTrain);
  const test = tensor(xTest);
  const patient = tensor([xTest[0]]);
  const background = tensor(xTrain.slice(0, 20)); // a small background keeps SHAP cheap (20 model rows per coalition)
  const shap = explain.kernelShap(model, patient, background, { nsamples, seed: 1 });
  const lime = explain.lime(model, patient, { trainingData: train, numSamples: Math.max(500, nsamples), numFeatures: 10, seed: 1 });
  const ig = explain.integratedGradients(model, patient, { target: 0, baseline: meanRow(xTrain), steps: 32 });
  const importance = explain.permutationImportance(model, test, tensor((split.yTest as number[]).map((v) => [v])), { metric: 'accuracy', repeats: 3, seed: 1 });

  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const files = [
    explain.saveBarChart(join(dir, 'shap.svg'), shap.shapValues, names, { title: 'Kernel SHAP, one patient', top: 12 }),
    explain.saveBarChart(join(dir, 'lime.svg'), lime.weights, names, { title: 'LIME weights, one patient', top: 10 }),
    explain.saveBarChart(join(dir, 'integrated-gradients.svg'), ig.attributions, names, { title: 'Integrated gradients, one patient', top: 12 }),
    explain.saveBarChart(join(dir, 'permutation-importance.svg'), importance.importancesMean, names, { title: 'Permutation importance (accuracy drop)', top: 12 }),
  ];
  if (verbose > 0) {
    console.log(`P(malignant) = ${shap.fx[0].toFixed(3)}; E f(background) = ${shap.expectedValue.toFixed(3)}`);
    console.log('feature                     SHAP      LIME        IG');
    const order = names.map((_, j) => j).sort((a, b) => Math.abs(shap.shapValues.data[b]) - Math.abs(shap.shapValues.data[a])).slice(0, 10);
    for (const j of order) {
      console.log(`${names[j].padEnd(24)} ${shap.shapValues.data[j].toFixed(4).padStart(8)} ${lime.weights[j].toFixed(4).padStart(9)} ${ig.attributions.data[j].toFixed(4).padStart(9)}`);
    }
    console.log(`LIME local R² ${lime.score.toFixed(3)}; IG completeness error ${ig.completenessError[0].toExponential(2)}`);
    console.log(`pictures: ${files.join(', ')}`);
  }
  return { shap, lime, ig, importance, files, names };
}

/** The training mean of each feature (0 after standardization, up to rounding): the IG baseline "an average patient". */
function meanRow(x: number[][]) {
  return tensor(x[0].map((_, j) => x.reduce((s, r) => s + r[j], 0) / x.length));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await explainBreastCancer();
}
