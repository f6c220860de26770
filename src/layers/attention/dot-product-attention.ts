import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/arithmetic.js';
import { matmul } from '../../ops/matmul.js';
import { reshape } from '../../ops/reshape.js';
import { softmax } from '../../ops/softmax.js';
import { Rng } from '../../util/random.js';

/** Keras's stand-in for −∞ in float32 masked softmax (`_large_negative_number`). */
const LARGE_NEGATIVE = -1e9;

/** Heads of one attention: `[batch, heads, T, dim]` for query, key and value. */
export interface Heads {
  query: Tensor;
  key: Tensor;
  value: Tensor;
}

/**
 * Scaled dot-product attention per head: scores = softmax(q·kᵀ / √keyDim) over the value positions,
 * masked positions set to −1e9 first (Keras's where(mask, s, −1e9), written as s·m + (1 − m)·(−1e9),
 * exact for m in {0, 1}); output = dropout(scores)·v. Returns the output `[batch, heads, Tq, valueDim]`
 * and the scores `[batch, heads, Tq, Tv]` before dropout, as Keras returns them.
 */
export function dotProductAttention(
  { query, key, value }: Heads,
  mask: Tensor | null,
  dropout: { rate: number; rng: Rng } | null,
): { output: Tensor; scores: Tensor } {
  const [batch, heads, tq, keyDim] = query.shape;
  const tv = key.shape[2];
  const valueDim = value.shape[3];
  const q = reshape(mul(query, 1 / Math.sqrt(keyDim)), [batch * heads, tq, keyDim]);
  const k = reshape(key, [batch * heads, tv, keyDim]);
  let logits = reshape(matmul(q, k, { transposeB: true }), [batch, heads, tq, tv]);
  if (mask !== null) {
    // The mask repeated over the heads, so both products run on equal shapes (no broadcasting).
    const keep = new Float32Array(logits.size);
    const fill = new Float32Array(logits.size);
    const plane = tq * tv;
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const o = (b * heads + h) * plane;
        for (let i = 0; i < plane; i++) {
          const on = mask.data[b * plane + i] !== 0;
          keep[o + i] = on ? 1 : 0;
          fill[o + i] = on ? 0 : LARGE_NEGATIVE;
        }
      }
    }
    logits = add(mul(logits, new Tensor(keep, logits.shape)), new Tensor(fill, logits.shape));
  }
  const scores = softmax(logits, -1);
  let weights = scores;
  if (dropout !== null && dropout.rate > 0) {
    const keep = 1 - dropout.rate;
    const drop = new Float32Array(scores.size);
    for (let i = 0; i < drop.length; i++) drop[i] = dropout.rng() < keep ? 1 / keep : 0;
    weights = mul(scores, new Tensor(drop, scores.shape));
  }
  const out = matmul(reshape(weights, [batch * heads, tq, tv]), reshape(value, [batch * heads, tv, valueDim]));
  return { output: reshape(out, [batch, heads, tq, valueDim]), scores };
}
