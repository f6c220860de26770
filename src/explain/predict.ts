import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import type { Forwardable } from './target.js';

/** Rows run through the model at once by the model-agnostic explainers. */
const CHUNK = 1024;

/** The first output of the model for rows [n, ...rowShape] (float32 values), in chunks, without gradients. */
export function predictRows(model: Forwardable, rows: Float32Array, rowShape: readonly number[]): { data: Float32Array; width: number } {
  const per = rowShape.reduce((a, b) => a * b, 1);
  const n = rows.length / per;
  const parts: Float32Array[] = [];
  let width = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const m = Math.min(CHUNK, n - start);
    const chunk = new Tensor(rows.subarray(start * per, (start + m) * per), [m, ...rowShape]);
    const y = noGrad(() => model.forward([chunk], false))[0];
    width = y.size / m;
    parts.push(y.data);
  }
  const data = new Float32Array(n * width);
  let offset = 0;
  for (const p of parts) { data.set(p, offset); offset += p.length; }
  return { data, width };
}
