import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';

/** Masks that can restrict an attention: each 1 (attend) / 0 (skip), any may be absent. */
export interface AttentionMasks {
  /** `[batch, Tq, Tv]`: which value positions each query position may attend to. */
  attentionMask?: Tensor | null;
  /** `[batch, Tq]`: padding of the query (Keras's query mask). */
  queryMask?: Tensor | null;
  /** `[batch, Tv]`: padding of the value. */
  valueMask?: Tensor | null;
  /** `[batch, Tv]`: padding of the key. */
  keyMask?: Tensor | null;
  /** Query position i attends to value positions j <= i only. */
  useCausalMask?: boolean;
}

/** Checks that `mask` (when given) has `shape`; `what` and `layer` name it in the message. */
function checkMask(mask: Tensor | null | undefined, shape: number[], what: string, layer: string): void {
  if (mask === undefined || mask === null) return;
  if (!(mask instanceof Tensor) || mask.rank !== shape.length || mask.shape.some((d, i) => d !== shape[i])) {
    const got = mask instanceof Tensor ? formatShape(mask.shape) : typeof mask;
    throw new ShapeError(`${layer}: expected ${what} of shape ${formatShape(shape)}, received ${got}`);
  }
}

/**
 * The combined mask `[batch, Tq, Tv]` as Keras builds it: the explicit attention mask AND the query
 * mask (per row) AND the value and key masks (per column) AND, with `useCausalMask`, j <= i. Null
 * when nothing masks. Every given mask is checked against the shapes first.
 */
export function combineAttentionMasks(batch: number, tq: number, tv: number, masks: AttentionMasks, layer: string): Tensor | null {
  checkMask(masks.attentionMask, [batch, tq, tv], 'attentionMask', layer);
  checkMask(masks.queryMask, [batch, tq], 'the query mask', layer);
  checkMask(masks.valueMask, [batch, tv], 'the value mask', layer);
  checkMask(masks.keyMask, [batch, tv], 'the key mask', layer);
  const { attentionMask, queryMask, valueMask, keyMask, useCausalMask = false } = masks;
  if (!attentionMask && !queryMask && !valueMask && !keyMask && !useCausalMask) return null;
  const out = new Float32Array(batch * tq * tv);
  for (let b = 0, o = 0; b < batch; b++) {
    for (let i = 0; i < tq; i++) {
      const row = queryMask ? queryMask.data[b * tq + i] !== 0 : true;
      for (let j = 0; j < tv; j++, o++) {
        let keep = row && (!useCausalMask || j <= i);
        if (keep && attentionMask) keep = attentionMask.data[o] !== 0;
        if (keep && valueMask) keep = valueMask.data[b * tv + j] !== 0;
        if (keep && keyMask) keep = keyMask.data[b * tv + j] !== 0;
        out[o] = keep ? 1 : 0;
      }
    }
  }
  return new Tensor(out, [batch, tq, tv]);
}
