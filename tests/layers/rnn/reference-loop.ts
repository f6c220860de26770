import { Tensor } from '../../../src/tensor/tensor.js';

/** Options of the float64 recurrent reference, each written from Keras 3's definitions. */
export interface LoopReferenceOptions {
  kind: 'simple' | 'lstm' | 'gru';
  units: number;
  gate?: (v: number) => number;
  resetAfter?: boolean;
  goBackwards?: boolean;
  returnSequences?: boolean;
  /** Input dropout masks `[batch·features]`: one for all gates, or one per gate. */
  inputMasks?: Float64Array[] | null;
  /** Recurrent dropout masks `[batch·units]`: one for all gates, or one per gate. */
  recurrentMasks?: Float64Array[] | null;
  /** Initial states `[batch·units]` each (h, and c for LSTM). */
  initialState?: ArrayLike<number>[];
  /** Step mask `[batch·steps]`, 1 keep / 0 skip. */
  mask?: ArrayLike<number>;
  zeroOutputForMask?: boolean;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * A naive float64 recurrent loop over `x` [batch, steps, features] with weights `[kernel, recurrent, bias?]`
 * in Keras layout (gate blocks along the last axis: SimpleRNN 1, LSTM i f c o, GRU z r h; a GRU with
 * resetAfter has bias [2, 3u]). Masked steps keep the states and output the previous output (zeros
 * before any kept step), or zeros with zeroOutputForMask. Returns the output (last or every step, in
 * processing order) and the final states.
 */
export function loopReference(x: Tensor, weights: Tensor[], o: LoopReferenceOptions): { output: Float64Array; states: Float64Array[] } {
  const [batch, steps, features] = x.shape;
  const u = o.units;
  const gates = o.kind === 'simple' ? 1 : o.kind === 'lstm' ? 4 : 3;
  const width = gates * u;
  const W = weights[0].data;
  const U = weights[1].data;
  const bias = weights[2]?.data ?? null;
  const gate = o.gate ?? sigmoid;
  const stateCount = o.kind === 'lstm' ? 2 : 1;
  const pick = (masks: Float64Array[] | null | undefined, g: number): Float64Array | null =>
    masks === null || masks === undefined ? null : masks[masks.length === 1 ? 0 : g];
  const out = new Float64Array(batch * (o.returnSequences ? steps : 1) * u);
  const finals = Array.from({ length: stateCount }, () => new Float64Array(batch * u));
  for (let b = 0; b < batch; b++) {
    let states: Float64Array[] = Array.from({ length: stateCount }, (_, k) => Float64Array.from({ length: u }, (_, j) => Number(o.initialState?.[k][b * u + j] ?? 0)));
    let previous: Float64Array = new Float64Array(u);
    for (let i = 0; i < steps; i++) {
      const t = o.goBackwards ? steps - 1 - i : i;
      // Gate block g of the input product, each block on its own masked input.
      const xw = new Float64Array(width);
      for (let g = 0; g < gates; g++) {
        const m = pick(o.inputMasks, g);
        for (let j = 0; j < u; j++) {
          const col = g * u + j;
          let s = bias === null ? 0 : bias[col];
          for (let f = 0; f < features; f++) s += x.data[(b * steps + t) * features + f] * (m === null ? 1 : m[b * features + f]) * W[f * width + col];
          xw[col] = s;
        }
      }
      const h = states[0];
      // h_g · U_g for block g, h masked by that block's recurrent mask; `scale` multiplies h entrywise first.
      const hu = (g: number, j: number, scale?: Float64Array): number => {
        const m = pick(o.recurrentMasks, g);
        let s = 0;
        for (let k = 0; k < u; k++) s += h[k] * (m === null ? 1 : m[b * u + k]) * (scale === undefined ? 1 : scale[k]) * U[k * width + g * u + j];
        return s;
      };
      let next: Float64Array[];
      if (o.kind === 'simple') {
        next = [Float64Array.from({ length: u }, (_, j) => Math.tanh(xw[j] + hu(0, j)))];
      } else if (o.kind === 'lstm') {
        const c = new Float64Array(u);
        const hNext = new Float64Array(u);
        for (let j = 0; j < u; j++) {
          const ig = gate(xw[j] + hu(0, j));
          const fg = gate(xw[u + j] + hu(1, j));
          const cand = Math.tanh(xw[2 * u + j] + hu(2, j));
          const og = gate(xw[3 * u + j] + hu(3, j));
          c[j] = fg * states[1][j] + ig * cand;
          hNext[j] = og * Math.tanh(c[j]);
        }
        next = [hNext, c];
      } else {
        const rb = (col: number): number => (bias !== null && o.resetAfter ? bias[width + col] : 0);
        const z = Float64Array.from({ length: u }, (_, j) => gate(xw[j] + hu(0, j) + rb(j)));
        const r = Float64Array.from({ length: u }, (_, j) => gate(xw[u + j] + hu(1, j) + rb(u + j)));
        const hNext = new Float64Array(u);
        for (let j = 0; j < u; j++) {
          const recurrentH = o.resetAfter ? r[j] * (hu(2, j) + rb(2 * u + j)) : hu(2, j, r);
          hNext[j] = z[j] * h[j] + (1 - z[j]) * Math.tanh(xw[2 * u + j] + recurrentH);
        }
        next = [hNext];
      }
      const keep = o.mask === undefined ? true : o.mask[b * steps + t] !== 0;
      let output: Float64Array;
      if (keep) {
        states = next;
        output = next[0];
      } else {
        output = o.zeroOutputForMask ? new Float64Array(u) : previous;
      }
      previous = output;
      if (o.returnSequences) out.set(output, (b * steps + i) * u);
    }
    if (!o.returnSequences) out.set(previous, b * u);
    states.forEach((s, k) => finals[k].set(s, b * u));
  }
  return { output: out, states: finals };
}

/** The masks a cell seeded with `seed` draws, written from the convention: inverted dropout, row-major, inputs first. */
export function expectedMasks(rng: () => number, count: number, rows: number, cols: number, rate: number): Float64Array[] {
  const keep = 1 - rate;
  return Array.from({ length: count }, () => Float64Array.from({ length: rows * cols }, () => (rng() < keep ? 1 / keep : 0)));
}
