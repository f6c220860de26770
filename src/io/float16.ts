const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The IEEE 754 half-precision bits of `value`, rounded to nearest even from its float32 value
 * (1 sign bit, 5 exponent bits with bias 15, 10 fraction bits); overflow gives ±Infinity.
 * @example numberToFloat16(1); // 0x3c00
 */
export function numberToFloat16(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp32 = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp32 === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp32 - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: the value in units of 2^-24 is (1.m)·2^(e−14), i.e. the 24-bit mantissa >> (14 − e).
    if (e < -10) return sign;
    const m24 = mant | 0x800000;
    const shift = 14 - e;
    const half = m24 >>> shift;
    const rem = m24 & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (rem > mid || (rem === mid && (half & 1) !== 0) ? half + 1 : half);
  }
  const half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the fraction correctly bumps the exponent (up to Infinity).
  return sign | (rem > 0x1000 || (rem === 0x1000 && (half & 1) !== 0) ? half + 1 : half);
}
