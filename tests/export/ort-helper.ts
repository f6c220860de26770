import { expect } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Tensor } from '../../src/tensor/tensor.js';
import { Model } from '../../src/models/model.js';
import { toOnnx, OnnxExportOptions } from '../../src/export/export-onnx.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';

/** An ONNX Runtime session over bytes (graph optimizations on, as when serving). */
export async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
}

/** Runs a session on neurite tensors (in the graph's input order) and returns its outputs as tensors. */
export async function runOrt(s: ort.InferenceSession, xs: Tensor[]): Promise<Tensor[]> {
  const feeds: Record<string, ort.Tensor> = {};
  s.inputNames.forEach((name, i) => {
    feeds[name] = new ort.Tensor('float32', xs[i].data, [...xs[i].shape]);
  });
  const out = await s.run(feeds);
  return s.outputNames.map((name) => new Tensor(out[name].data as Float32Array, [...out[name].dims]));
}

/** Seeded inputs of a model's input shapes for a given batch size (null dims become 3). */
export function inputsFor(model: Model<any>, batch: number, seed = 1, lo = -1, hi = 1): Tensor[] {
  return model.inputs.map((t, i) => seededTensor([batch, ...t.shape.slice(1).map((d) => d ?? 3)], seed + i, lo, hi));
}

/**
 * Exports `model`, loads it in ONNX Runtime, and checks ORT's outputs against `model.predict` for
 * each batch size (one batch size is enough when the batch is fixed).
 */
export async function expectOrtMatches(
  model: Model<any>,
  makeInputs: (batch: number) => Tensor[],
  { batches = [1, 3], options = {}, rtol = 1e-5, atol = 1e-5 }: { batches?: number[]; options?: OnnxExportOptions; rtol?: number; atol?: number } = {},
): Promise<ort.InferenceSession> {
  const s = await session(toOnnx(model, options));
  for (const batch of batches) {
    const xs = makeInputs(batch);
    const predicted = model.predict(xs.length === 1 ? xs[0] : xs) as Tensor | Tensor[] | Record<string, Tensor>;
    const expected = predicted instanceof Tensor ? [predicted] : Array.isArray(predicted) ? predicted : Object.values(predicted);
    const got = await runOrt(s, xs);
    expect(got.length).toBe(expected.length);
    got.forEach((g, i) => {
      expect(g.shape, `output ${i} shape at batch ${batch}`).toEqual(expected[i].shape);
      expectClose(g, expected[i], { rtol, atol });
    });
  }
  return s;
}

/** Token ids in [1, vocabulary) with zero padding placed anywhere (before, inside and after the tokens). */
export function paddedIds(n: number, steps: number, vocabulary: number, seed: number): Tensor {
  const r = seededTensor([n, steps], seed, 0, 1).data;
  return new Tensor(Float32Array.from(r, (v, i) => (v < 0.3 || i % steps === steps - 1 ? 0 : 1 + Math.floor(v * (vocabulary - 1)))), [n, steps]);
}
