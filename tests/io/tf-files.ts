// Test helpers shared by the persistence and load-model tests: temp directories, seeded weights,
// and TF.js's side of the files (read and written with plain fs, independently of src/io).
import { afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { Tensor } from '../../src/tensor/tensor.js';
import { noGrad } from '../../src/autograd/record.js';
import type { Model } from '../../src/models/model.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';

const dirs: string[] = [];

/** A fresh temporary directory, removed after the test. */
export function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-model-'));
  dirs.push(dir);
  return dir;
}

/** Registers the cleanup of `freshDir`'s directories; call once per test file. */
export function cleanUpDirs(): void {
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
}

/** Replaces every weight with seeded values in [-0.5, 0.5), so biases are not zero either. */
export function randomizeWeights(model: Model, seed: number): void {
  model.setWeights(model.getWeights().map((w, i) => seededTensor([...w.shape], seed + i, -0.5, 0.5)));
}

/** The model's inference output, with no graph recorded. */
export function predictWith(model: Model, x: Tensor): Tensor {
  return noGrad(() => model.forward([x], false)[0]);
}

/** A file's bytes, copied into their own ArrayBuffer. */
export function fileBuffer(path: string): ArrayBuffer {
  return Uint8Array.from(readFileSync(path)).buffer;
}

/** The weights file a saved model.json names (neurite writes `weights-<hex>.bin`; the manifest says which). */
export function weightsPathOf(dir: string): string {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  return join(dir, json.weightsManifest[0].paths[0]);
}

/** Loads `dir/model.json` + the weights file its manifest names in TF.js through an IOHandler that reads the two files. */
export async function loadInTf(dir: string): Promise<tfType.LayersModel> {
  const tf = await tfCpu();
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const handler: tfType.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
      weightData: fileBuffer(weightsPathOf(dir)),
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      trainingConfig: json.trainingConfig,
    }),
  };
  return tf.loadLayersModel(handler);
}

/** Saves a TF.js model into `dir` as model.json + weights.bin, as TF.js's file saver lays them out. */
export async function saveFromTf(model: tfType.LayersModel, dir: string, includeOptimizer = false): Promise<void> {
  const tf = await tfCpu();
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const parts = Array.isArray(a.weightData) ? a.weightData : [a.weightData!];
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let offset = 0;
      for (const p of parts) {
        bytes.set(new Uint8Array(p), offset);
        offset += p.byteLength;
      }
      const json = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy,
        trainingConfig: a.trainingConfig,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      writeFileSync(join(dir, 'weights.bin'), bytes);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
}

/** A TF.js prediction as a Float32Array. */
export function tfPredict(tf: typeof tfType, model: tfType.LayersModel, x: Tensor): Float32Array {
  const y = model.predict(tf.tensor(x.data, [...x.shape])) as tfType.Tensor;
  return Float32Array.from(y.dataSync());
}
