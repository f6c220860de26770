// A float64 multi-head attention written from Keras 3's formulas (einsum projections, scaled
// dot product, where(mask, s, −1e9) softmax, einsum back to features); independent of src/.
import { Tensor } from '../../../src/tensor/tensor.js';

/** Weights in Keras's layout: kernels [features, heads, dim], biases [heads, dim], output [heads, vdim, out]. */
export interface MhaWeights {
  wq: Tensor; bq: Tensor | null; wk: Tensor; bk: Tensor | null; wv: Tensor; bv: Tensor | null; wo: Tensor; bo: Tensor | null;
}

/** x [B, T, D] · w [D, H, K] + b [H, K] → [B][H][T][K] in float64. */
function project(x: Tensor, w: Tensor, b: Tensor | null): number[][][][] {
  const [B, T, D] = x.shape;
  const [, H, K] = w.shape;
  const out: number[][][][] = [];
  for (let bi = 0; bi < B; bi++) {
    out.push([]);
    for (let h = 0; h < H; h++) {
      out[bi].push([]);
      for (let t = 0; t < T; t++) {
        const row: number[] = [];
        for (let k = 0; k < K; k++) {
          let s = b === null ? 0 : b.data[h * K + k];
          for (let d = 0; d < D; d++) s += x.data[(bi * T + t) * D + d] * w.data[(d * H + h) * K + k];
          row.push(s);
        }
        out[bi][h].push(row);
      }
    }
  }
  return out;
}

/** Output [B, Tq, out] and scores [B, H, Tq, Tv] (flat, float64); mask [B, Tq, Tv] of 1/0 or null. */
export function referenceMha(query: Tensor, value: Tensor, key: Tensor, w: MhaWeights, mask: number[] | null): { output: Float64Array; scores: Float64Array } {
  const q = project(query, w.wq, w.bq);
  const k = project(key, w.wk, w.bk);
  const v = project(value, w.wv, w.bv);
  const [B, Tq] = query.shape;
  const Tv = value.shape[1];
  const [H, K] = w.wq.shape.slice(1);
  const Vd = w.wv.shape[2];
  const O = w.wo.shape[2];
  const scores = new Float64Array(B * H * Tq * Tv);
  const output = new Float64Array(B * Tq * O);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Tq; i++) {
      const merged = new Float64Array(H * Vd);
      for (let h = 0; h < H; h++) {
        const logits = new Float64Array(Tv);
        for (let j = 0; j < Tv; j++) {
          let s = 0;
          for (let c = 0; c < K; c++) s += (q[b][h][i][c] / Math.sqrt(K)) * k[b][h][j][c];
          logits[j] = mask === null || mask[(b * Tq + i) * Tv + j] !== 0 ? s : -1e9;
        }
        const top = Math.max(...logits);
        let total = 0;
        for (let j = 0; j < Tv; j++) total += Math.exp(logits[j] - top);
        for (let j = 0; j < Tv; j++) {
          const p = Math.exp(logits[j] - top) / total;
          scores[((b * H + h) * Tq + i) * Tv + j] = p;
          for (let c = 0; c < Vd; c++) merged[h * Vd + c] += p * v[b][h][j][c];
        }
      }
      for (let o = 0; o < O; o++) {
        let s = w.bo === null ? 0 : w.bo.data[o];
        for (let hc = 0; hc < H * Vd; hc++) s += merged[hc] * w.wo.data[hc * O + o];
        output[(b * Tq + i) * O + o] = s;
      }
    }
  }
  return { output, scores };
}
