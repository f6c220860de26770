import { type Code } from './instructions.js';

// Defined once in instructions.ts; re-exported for the kernels that import them from here.
export { i32Load, v128And, f32Div } from './instructions.js';
import { unsignedLeb128 } from './leb128.js';

/**
 * More instruction helpers, named after the text format as in instructions.ts: the integer loads and
 * divisions, and the SIMD comparisons and bit selects the convolution and pooling kernels use.
 */

const memarg = (alignLog2: number, offset: number): Code => [unsignedLeb128(alignLog2), unsignedLeb128(offset)];
const simd = (opcode: number): Code => [0xfd, unsignedLeb128(opcode)];

/** `i32.store offset=…` of `value` at `addr`. */
export const i32Store = (addr: Code, value: Code, offset = 0): Code => [addr, value, 0x36, memarg(2, offset)];
/** `i32.div_u`. */
export const i32DivU = (a: Code, b: Code): Code => [a, b, 0x6e];
/** `i32.rem_u`. */
export const i32RemU = (a: Code, b: Code): Code => [a, b, 0x70];
/** `i32.lt_s`. */
export const i32LtS = (a: Code, b: Code): Code => [a, b, 0x48];
/** `i32.ge_s`. */
export const i32GeS = (a: Code, b: Code): Code => [a, b, 0x4e];
/** `i32.le_s`. */
export const i32LeS = (a: Code, b: Code): Code => [a, b, 0x4c];
/** `i32.shl`. */
export const i32Shl = (a: Code, b: Code): Code => [a, b, 0x74];
/** `i32x4.splat`. */
export const i32x4Splat = (x: Code): Code => [x, simd(0x11)];
/** `f32x4.eq`: all-ones lanes where equal (false for NaN). */
export const f32x4Eq = (a: Code, b: Code): Code => [a, b, simd(0x41)];
/** `f32x4.ne`: all-ones lanes where not equal (true for NaN). */
export const f32x4Ne = (a: Code, b: Code): Code => [a, b, simd(0x42)];
/** `f32x4.gt`. */
export const f32x4Gt = (a: Code, b: Code): Code => [a, b, simd(0x44)];
/** `v128.andnot`: a & ~b. */
export const v128AndNot = (a: Code, b: Code): Code => [a, b, simd(0x4f)];
/** `v128.or`. */
export const v128Or = (a: Code, b: Code): Code => [a, b, simd(0x50)];
/** `v128.bitselect`: bits of `a` where `mask` is set, else of `b`. */
export const v128Bitselect = (a: Code, b: Code, mask: Code): Code => [a, b, mask, simd(0x52)];
/** `f32x4.sub`. */
export const f32x4Sub = (a: Code, b: Code): Code => [a, b, simd(0xe5)];
/** `i32.or`. */
export const i32Or = (a: Code, b: Code): Code => [a, b, 0x72];
/** `f32.convert_i32_u`. */
export const f32ConvertI32U = (a: Code): Code => [a, 0xb3];
