import { ShapeError, ValueError } from '../util/errors.js';
import { gemm } from '../kernels/gemm.js';
import { int8Matmul } from '../kernels/int8-gemm.js';
import { int8Conv2d } from '../kernels/int8-conv.js';
import type { Window2D } from '../kernels/window2d.js';
import { packInt8BTight, roundHalfEven, unpackInt8BTight } from '../kernels/int8-pack.js';
import { packQuadTight, unpackQuadTight } from '../kernels/int8-pack-quad.js';
import { int8ConvPath } from '../kernels/int8-conv.js';
import { int8GemmPath } from '../kernels/int8-gemm.js';
import { getGemmPath } from '../kernels/wasm/gemm-path.js';
import { columnCorrection, int8Conv2dRelaxedWasm, int8MatmulRelaxedWasm, int8RelaxedSupported } from '../kernels/wasm/int8-relaxed-wasm.js';
import { float16ToNumber } from '../io/weights.js';
import { numberToFloat16 } from '../io/float16.js';

/** How a quantized layer stores its kernel: int8 with a scale per output channel, or float16. */
export type QuantizationMode = 'int8' | 'float16';

/** Keras's AbsMaxQuantizer epsilon: scale = 127 / (max|w| + 1e-7). */
export const QUANT_EPSILON = 1e-7;

/** The largest finite float16. */
const FLOAT16_MAX = 65504;

/**
 * The float16 at or just below a positive scale (capped at 65504): scales are stored in half
 * precision, and rounding down keeps max|w|·scale ≤ 127, so no weight clips. An all-zero channel
 * (pruned) gets the cap instead of Keras's 127 / 1e-7, which float16 cannot hold; its q are zeros either way.
 */
export function float16ScaleBits(scale: number): number {
  const s = Math.min(scale, FLOAT16_MAX);
  let h = numberToFloat16(s);
  if (float16ToNumber(h) > s) h -= 1;
  return h;
}

/** Float16 bits of each value (rounded to nearest even). */
export function toFloat16Bits(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = numberToFloat16(values[i]);
  return out;
}

const word = new Uint32Array(1);
const wordAsFloat = new Float32Array(word.buffer);

/**
 * The float32 values of float16 bits. Normal halves are widened by moving the bit fields (exponent
 * rebased from 15 to 127), which is exact and much faster than the formula; subnormals, ±0,
 * infinities and NaN take the formula. Run on every call of a layer (its scales and bias).
 */
export function fromFloat16Bits(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const e = (h >> 10) & 0x1f;
    if (e === 0 || e === 0x1f) {
      out[i] = float16ToNumber(h);
      continue;
    }
    word[0] = ((h & 0x8000) << 16) | ((e + 112) << 23) | ((h & 0x3ff) << 13);
    out[i] = wordAsFloat[0];
  }
  return out;
}

/**
 * A layer's kernel seen as a matrix [k (inputs) × n (output channels)], stored quantized: int8 values
 * packed for the int8 GEMM (int8-pack.ts, tight: no padding columns) with a scale per output channel
 * (symmetric, Keras's convention w ≈ q / scale) kept in float16, or float16 bits. Only these compact
 * arrays stay in memory: k·n bytes plus 2·n for int8, so a small layer is not dominated by its scales.
 */
export class QuantizedKernel {
  private constructor(
    readonly mode: QuantizationMode,
    readonly k: number,
    readonly n: number,
    /** int8: packed B panels, the tail panel unpadded (`packInt8BTight`, or `packQuadTight` in the quad layout). */
    private packed: Int8Array | null,
    /** int8: float16 bits of the scale of each output channel (q = round(w·scale)). */
    private readonly scaleBits: Uint16Array | null,
    /** float16: the kernel's bits, row-major k×n. */
    private readonly half: Uint16Array | null,
  ) {}

  /** Quantizes a float kernel [k×n]: per output channel (column) scales, or one scale for all when `perChannel` is false. */
  static quantize(w: Float32Array, k: number, n: number, mode: QuantizationMode, perChannel = true): QuantizedKernel {
    if (mode === 'float16') {
      const half = new Uint16Array(k * n);
      for (let i = 0; i < half.length; i++) half[i] = numberToFloat16(w[i]);
      return new QuantizedKernel('float16', k, n, null, null, half);
    }
    const max = new Float64Array(n);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) max[j] = Math.max(max[j], Math.abs(w[p * n + j]));
    const all = Math.max(0, ...max);
    const bits = new Uint16Array(n);
    for (let j = 0; j < n; j++) bits[j] = float16ScaleBits(127 / ((perChannel ? max[j] : all) + QUANT_EPSILON));
    const scales = fromFloat16Bits(bits);
    const q = new Int8Array(k * n);
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < n; j++) q[p * n + j] = Math.max(-127, Math.min(127, roundHalfEven(Math.fround(w[p * n + j] * scales[j]))));
    }
    return new QuantizedKernel('int8', k, n, packInt8BTight(q, k, n), bits, null);
  }

  /**
   * An int8 kernel from its saved values (integers in [−127, 127], row-major k×n) and channel
   * scales, which are kept in float16 (rounded to nearest: saved files hold them exactly); `where` names the layer.
   */
  static fromInt8(values: Float32Array, scales: Float32Array, k: number, n: number, where: string): QuantizedKernel {
    if (values.length !== k * n || scales.length !== n) {
      throw new ShapeError(`${where}: expected an int8 kernel of ${k}×${n} values and ${n} scales, received ${values.length} values and ${scales.length} scales`);
    }
    const q = new Int8Array(k * n);
    for (let i = 0; i < q.length; i++) {
      const v = values[i];
      if (!Number.isInteger(v) || v < -127 || v > 127) throw new ValueError(`${where}: int8 kernel value ${i} must be an integer in [-127, 127], received ${v}`);
      q[i] = v;
    }
    if (scales.some((s) => !(s > 0) || !(s <= FLOAT16_MAX))) throw new ValueError(`${where}: kernel scales must be positive and at most ${FLOAT16_MAX} (float16), received ${Array.from(scales).find((s) => !(s > 0) || !(s <= FLOAT16_MAX))}`);
    return new QuantizedKernel('int8', k, n, packInt8BTight(q, k, n), toFloat16Bits(scales), null);
  }

  /** A float16 kernel from float values (rounded to half precision). */
  static fromFloat16(values: Float32Array, k: number, n: number): QuantizedKernel {
    return QuantizedKernel.quantize(values, k, n, 'float16');
  }

  /** How `packed` is laid out: depth pairs (plain SIMD and JS kernels) or quads (the relaxed kernel). */
  private layout: 'pair' | 'quad' = 'pair';
  /** Quad layout: 64·Σ_p w[p][j] per column, which the relaxed kernel subtracts (kept: it costs k·n to recompute). */
  private correction: Int32Array | null = null;

  /**
   * Re-packs the int8 kernel for the relaxed dot-product kernel ('quad') or the plain ones ('pair'):
   * an in-memory layout only (files hold row-major values), the same bytes either way.
   */
  setLayout(layout: 'pair' | 'quad'): void {
    if (this.packed === null || layout === this.layout) return;
    const rows = this.rowMajor();
    this.packed = layout === 'quad' ? packQuadTight(rows, this.k, this.n) : packInt8BTight(rows, this.k, this.n);
    this.layout = layout;
    this.correction = layout === 'quad' ? columnCorrection(this.packed, this.k, this.n) : null;
  }

  /** The int8 values row-major k×n. */
  private rowMajor(): Int8Array {
    return this.layout === 'quad' ? unpackQuadTight(this.packed!, this.k, this.n) : unpackInt8BTight(this.packed!, this.k, this.n);
  }

  /** The kernel in the pair layout (a copy when it is held in quads: the plain kernels forced on a relaxed-SIMD runtime). */
  private pairForm(): Int8Array {
    return this.layout === 'pair' ? this.packed! : packInt8BTight(this.rowMajor(), this.k, this.n);
  }

  /** int8: the scale of each output channel as float32 (null for float16 kernels). */
  get scales(): Float32Array | null {
    return this.scaleBits === null ? null : fromFloat16Bits(this.scaleBits);
  }

  /** The int8 values, row-major k×n, as floats (for getWeights / saving). */
  int8Values(): Float32Array {
    if (this.packed === null) throw new ValueError('QuantizedKernel: a float16 kernel has no int8 values');
    return Float32Array.from(this.rowMajor());
  }

  /** The kernel as floats: q / scale for int8, the half values for float16. */
  dequantize(): Float32Array {
    const out = new Float32Array(this.k * this.n);
    if (this.half !== null) {
      for (let i = 0; i < out.length; i++) out[i] = float16ToNumber(this.half[i]);
      return out;
    }
    const q = this.rowMajor();
    const s = this.scales!;
    for (let i = 0; i < out.length; i++) out[i] = q[i] / s[i % this.n];
    return out;
  }

  /** Bytes this kernel keeps resident (the arrays above; the quad layout adds its 4·n-byte column correction). */
  get byteLength(): number {
    return (this.packed?.byteLength ?? 0) + (this.scaleBits?.byteLength ?? 0) + (this.half?.byteLength ?? 0) + (this.correction?.byteLength ?? 0);
  }

  /**
   * y [rows×n] = x [rows×k] · kernel (+ bias). int8: x is quantized row by row, with `rowScales` when
   * given (a calibrated or per-image scale), else each row's own abs-max scale (Keras's dynamic
   * AbsMaxQuantizer on axis −1); int32 products, then y = acc / (sx·sw) + b. float16: the kernel is
   * widened to float32 for the one product. Writes into `out` (rows·n values) when given.
   */
  matmul(x: Float32Array, rows: number, bias: Float32Array | null, rowScales: Float32Array | null = null, out?: Float32Array, limit = 127): Float32Array {
    const { k, n } = this;
    const y = out ?? new Float32Array(rows * n);
    if (this.half !== null) {
      if (bias !== null) for (let i = 0; i < rows; i++) y.set(bias, i * n);
      gemm(rows, n, k, x, false, this.dequantize(), false, y, bias !== null);
      return y;
    }
    if (this.layout === 'quad' && relaxedActive() && rows > 0) int8MatmulRelaxedWasm(x, rows, k, rowScales, this.packed!, n, this.scales!, bias, y, this.correction!);
    else int8Matmul(x, rows, k, rowScales, this.pairForm(), n, this.scales!, bias, y, int8GemmPath(), limit);
    return y;
  }

  /**
   * int8 only: the convolution of NHWC `x` with this kernel seen as [kh·kw·inC × n] (geometry `g`),
   * each image quantized with `inputScale` or its own abs-max scale; writes `out` (NHWC).
   */
  conv2d(x: Float32Array, g: Window2D, bias: Float32Array | null, inputScale: number | null, out: Float32Array, limit = 127): Float32Array {
    if (this.packed === null) throw new ValueError('QuantizedKernel.conv2d: a float16 kernel has no int8 values');
    if (this.layout === 'quad' && relaxedActive() && g.inChannels % 4 === 0) {
      // The images' abs-max scales (7-bit levels) are found in wasm after the kernel's copy.
      int8Conv2dRelaxedWasm(x, g, inputScale, this.packed, this.scales!, bias, out, this.correction!);
    } else int8Conv2d(x, g, inputScale, this.pairForm(), this.scales!, bias, out, int8ConvPath(g.inChannels), limit);
    return out;
  }
}

/** Whether the relaxed int8 kernel runs now: the GEMM path is 'relaxed' (auto picks it where the runtime has it) and the module validates. */
export function relaxedActive(): boolean {
  return getGemmPath() === 'relaxed' && int8RelaxedSupported();
}
