import { activate, activationSlope, fastTanh, RnnActivation } from './activation.js';

// Every intermediate is rounded to float32 where the per-step graph stores one, and the products h·U
// come from the same GEMM calls, so the fused forward pass gives the graph's values up to tanh's last bit.
const f32 = Math.fround;

/**
 * The gate math of one step of each recurrent cell over a batch, forward and backward, on raw arrays.
 * Shared arguments: `rows` the batch, `u` units; `xw` the input projection `[batch, steps, G·u]` read
 * at step `tau` (row b at `(b·steps + tau)·G·u`); `rec` the recurrent products `[batch, G·u]` of this
 * step; `gates` this step's slot of the gate tape `[batch, G·u]` (what backward needs); `dxw` the
 * gradient of `xw` (same layout, written at `tau`), `drec` the gradient of `rec` (`[batch, G·u]`).
 */
export interface StepGeometry {
  rows: number;
  u: number;
  steps: number;
  tau: number;
}

/** SimpleRNN: y = act(xw + rec), into `y` (`[batch, u]`). */
export function simpleForward(g: StepGeometry, act: RnnActivation, xw: Float32Array, rec: Float32Array, y: Float32Array): void {
  const { rows, u, steps, tau } = g;
  for (let b = 0; b < rows; b++) {
    const x0 = (b * steps + tau) * u;
    const r0 = b * u;
    // tanh, the default, spelled out: the call through `activate` is not inlined in this loop.
    if (act === RnnActivation.Tanh) for (let j = 0; j < u; j++) y[r0 + j] = fastTanh(f32(xw[x0 + j] + rec[r0 + j]));
    else for (let j = 0; j < u; j++) y[r0 + j] = activate(act, f32(xw[x0 + j] + rec[r0 + j]));
  }
}

/** SimpleRNN backward: da = dy·act′ into `drec` and `dxw`. */
export function simpleBackward(g: StepGeometry, act: RnnActivation, y: Float32Array, dy: Float32Array, drec: Float32Array, dxw: Float32Array): void {
  const { rows, u, steps, tau } = g;
  for (let b = 0; b < rows; b++) {
    const x0 = (b * steps + tau) * u;
    const r0 = b * u;
    for (let j = 0; j < u; j++) {
      const yj = y[r0 + j];
      const da = dy[r0 + j] * (act === RnnActivation.Tanh ? 1 - yj * yj : activationSlope(act, yj));
      drec[r0 + j] = da;
      dxw[x0 + j] = da;
    }
  }
}

/**
 * LSTM (gates i, f, c, o): z = xw + rec; c′ = σ(z_f)·c + σ(z_i)·act(z_c); h′ = σ(z_o)·act(c′).
 * `gates` gets σ(z_i), σ(z_f), act(z_c), σ(z_o); `tc` act(c′); `h`, `c` the new states.
 */
export function lstmForward(
  g: StepGeometry, act: RnnActivation, gate: RnnActivation,
  xw: Float32Array, rec: Float32Array, cPrev: Float32Array,
  gates: Float32Array, tc: Float32Array, h: Float32Array, c: Float32Array,
): void {
  const { rows, u, steps, tau } = g;
  const w = 4 * u;
  for (let b = 0; b < rows; b++) {
    const x0 = (b * steps + tau) * w;
    const g0 = b * w;
    const s0 = b * u;
    for (let j = 0; j < u; j++) {
      const i = f32(activate(gate, f32(xw[x0 + j] + rec[g0 + j])));
      const f = f32(activate(gate, f32(xw[x0 + u + j] + rec[g0 + u + j])));
      const cand = f32(activate(act, f32(xw[x0 + 2 * u + j] + rec[g0 + 2 * u + j])));
      const o = f32(activate(gate, f32(xw[x0 + 3 * u + j] + rec[g0 + 3 * u + j])));
      gates[g0 + j] = i;
      gates[g0 + u + j] = f;
      gates[g0 + 2 * u + j] = cand;
      gates[g0 + 3 * u + j] = o;
      const cNext = f32(f32(f * cPrev[s0 + j]) + f32(i * cand));
      c[s0 + j] = cNext;
      const t = f32(activate(act, cNext));
      tc[s0 + j] = t;
      h[s0 + j] = o * t;
    }
  }
}

/**
 * LSTM backward from dh′, dc′: dc* = dc′ + dh′·o·act′(c′); do = dh′·act(c′); di = dc*·ĉ; dĉ = dc*·i;
 * df = dc*·c; each times its activation's slope into `drec` and `dxw`; dc*·f is added to `dcPrev`.
 */
export function lstmBackward(
  g: StepGeometry, act: RnnActivation, gate: RnnActivation,
  gates: Float32Array, tc: Float32Array, cPrev: Float32Array, dh: Float32Array, dc: Float32Array,
  dcPrev: Float32Array, drec: Float32Array, dxw: Float32Array,
): void {
  const { rows, u, steps, tau } = g;
  const w = 4 * u;
  for (let b = 0; b < rows; b++) {
    const x0 = (b * steps + tau) * w;
    const g0 = b * w;
    const s0 = b * u;
    for (let j = 0; j < u; j++) {
      const i = gates[g0 + j];
      const f = gates[g0 + u + j];
      const cand = gates[g0 + 2 * u + j];
      const o = gates[g0 + 3 * u + j];
      const t = tc[s0 + j];
      const dhj = dh[s0 + j];
      const dcs = dc[s0 + j] + dhj * o * activationSlope(act, t);
      const di = dcs * cand * activationSlope(gate, i);
      const df = dcs * cPrev[s0 + j] * activationSlope(gate, f);
      const dcand = dcs * i * activationSlope(act, cand);
      const dout = dhj * t * activationSlope(gate, o);
      dcPrev[s0 + j] += dcs * f;
      drec[g0 + j] = di; dxw[x0 + j] = di;
      drec[g0 + u + j] = df; dxw[x0 + u + j] = df;
      drec[g0 + 2 * u + j] = dcand; dxw[x0 + 2 * u + j] = dcand;
      drec[g0 + 3 * u + j] = dout; dxw[x0 + 3 * u + j] = dout;
    }
  }
}

/**
 * GRU (gates z, r, h), both forms. z, r = σ(xw + rec); resetAfter: ĥ = act(xw_h + r·rec_h) with rec
 * holding h·U + the recurrent bias, all three blocks; otherwise this is the first half, z and r only,
 * and `gruCandidate` finishes once rec_h = (r·h)·U_h is known. `gates` gets z, r (and ĥ with resetAfter),
 * `recH` rec_h (what dr needs); `hm` is h as the h block's product sees it (h·m_h under recurrent dropout).
 */
export function gruGates(
  g: StepGeometry, gate: RnnActivation, act: RnnActivation, resetAfter: boolean,
  xw: Float32Array, rec: Float32Array, hPrev: Float32Array, gates: Float32Array, recH: Float32Array, hNext: Float32Array,
  hm: Float32Array, q: Float32Array,
): void {
  const { rows, u, steps, tau } = g;
  const w = 3 * u;
  for (let b = 0; b < rows; b++) {
    const x0 = (b * steps + tau) * w;
    const g0 = b * w;
    const s0 = b * u;
    for (let j = 0; j < u; j++) {
      const z = f32(activate(gate, f32(xw[x0 + j] + rec[g0 + j])));
      const r = f32(activate(gate, f32(xw[x0 + u + j] + rec[g0 + u + j])));
      gates[g0 + j] = z;
      gates[g0 + u + j] = r;
      if (resetAfter) {
        const rh = rec[g0 + 2 * u + j];
        recH[s0 + j] = rh;
        const cand = f32(activate(act, f32(xw[x0 + 2 * u + j] + f32(r * rh))));
        gates[g0 + 2 * u + j] = cand;
        hNext[s0 + j] = blend(z, hPrev[s0 + j], cand);
      } else {
        q[s0 + j] = r * hm[s0 + j];
      }
    }
  }
}

/** h′ = z·h + (1 − z)·ĥ, rounded as the graph's four ops round it. */
function blend(z: number, h: number, cand: number): number {
  return f32(f32(z * h) + f32(f32(1 - z) * cand));
}

/** The second half of a GRU step without resetAfter: ĥ = act(xw_h + rec_h), rec_h = (r·h)·U_h; h′ into `hNext`. */
export function gruCandidate(g: StepGeometry, act: RnnActivation, xw: Float32Array, recH: Float32Array, hPrev: Float32Array, gates: Float32Array, hNext: Float32Array): void {
  const { rows, u, steps, tau } = g;
  const w = 3 * u;
  for (let b = 0; b < rows; b++) {
    const x0 = (b * steps + tau) * w;
    const g0 = b * w;
    const s0 = b * u;
    for (let j = 0; j < u; j++) {
      const cand = f32(activate(act, f32(xw[x0 + 2 * u + j] + recH[s0 + j])));
      gates[g0 + 2 * u + j] = cand;
      hNext[s0 + j] = blend(gates[g0 + j], hPrev[s0 + j], cand);
    }
  }
}

/**
 * GRU backward from dh′: dz = dh′·(h − ĥ)·σ′; dĥ = dh′·(1 − z)·act′ (= da_h); dh += dh′·z. With
 * resetAfter also dr = da_h·rec_h·σ′ and drec_h = da_h·r; without, drec_h = da_h and `gruResetGrad`
 * finishes dr once dq = da_h·U_hᵀ is known.
 */
export function gruBackward(
  g: StepGeometry, gate: RnnActivation, act: RnnActivation, resetAfter: boolean,
  gates: Float32Array, recH: Float32Array, hPrev: Float32Array, dy: Float32Array, dhPrev: Float32Array,
  drec: Float32Array, dxw: Float32Array,
): void {
  const { rows, u, steps, tau } = g;
  const w = 3 * u;
  for (let b = 0; b < rows; b++) {
    const x0 = (b * steps + tau) * w;
    const g0 = b * w;
    const s0 = b * u;
    for (let j = 0; j < u; j++) {
      const z = gates[g0 + j];
      const cand = gates[g0 + 2 * u + j];
      const d = dy[s0 + j];
      const dz = d * (hPrev[s0 + j] - cand) * activationSlope(gate, z);
      const dh = d * (1 - z) * activationSlope(act, cand);
      dhPrev[s0 + j] += d * z;
      drec[g0 + j] = dz; dxw[x0 + j] = dz;
      dxw[x0 + 2 * u + j] = dh;
      if (resetAfter) {
        const r = gates[g0 + u + j];
        const dr = dh * recH[s0 + j] * activationSlope(gate, r);
        drec[g0 + u + j] = dr; dxw[x0 + u + j] = dr;
        drec[g0 + 2 * u + j] = dh * r;
      } else {
        drec[g0 + 2 * u + j] = dh;
      }
    }
  }
}

/** GRU without resetAfter, from dq = d(r·h_m): dr = dq·h_m·σ′ into `drec`/`dxw`; dh += dq·r·(h_m / h's mask) via `mask`. */
export function gruResetGrad(
  g: StepGeometry, gate: RnnActivation, gates: Float32Array, hm: Float32Array, mask: Float32Array | null, dq: Float32Array,
  dhPrev: Float32Array, drec: Float32Array, dxw: Float32Array,
): void {
  const { rows, u, steps, tau } = g;
  const w = 3 * u;
  for (let b = 0; b < rows; b++) {
    const x0 = (b * steps + tau) * w;
    const g0 = b * w;
    const s0 = b * u;
    for (let j = 0; j < u; j++) {
      const r = gates[g0 + u + j];
      const d = dq[s0 + j];
      const dr = d * hm[s0 + j] * activationSlope(gate, r);
      drec[g0 + u + j] = dr; dxw[x0 + u + j] = dr;
      dhPrev[s0 + j] += mask === null ? d * r : d * r * mask[s0 + j];
    }
  }
}
