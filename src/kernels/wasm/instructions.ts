import { ValueError } from '../../util/errors.js';
import { signedLeb128, unsignedLeb128 } from './leb128.js';

/**
 * WebAssembly instructions as small helpers named after the text format (`i32.add` → `i32Add`).
 * Helpers take their operands, so code reads like the folded text form:
 * `localSet(p, i32Add(localGet(p), i32Const(16)))` is `(local.set $p (i32.add (local.get $p) (i32.const 16)))`.
 * An operand may be `[]` when its value is already on the stack.
 */

/** A piece of a function body: a byte, or pieces nested as convenient (flattened on encoding). */
export type Code = number | readonly Code[];

/** Value types, by their binary encoding. */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
/** One of the value types above. */
export type ValType = (typeof ValType)[keyof typeof ValType];

/** The bytes of `code`, in order. */
export function flatten(code: Code, out: number[] = []): number[] {
  if (typeof code === 'number') out.push(code);
  else for (const part of code) flatten(part, out);
  return out;
}

// ---- control ---------------------------------------------------------------------------------------
// Blocks here carry no value (block type 0x40); branch depths count enclosing blocks, innermost 0.

/** `block … end`: a branch to it jumps past its end. */
export const block = (...body: Code[]): Code => [0x02, 0x40, body, 0x0b];
/** `loop … end`: a branch to it jumps back to its start. */
export const loop = (...body: Code[]): Code => [0x03, 0x40, body, 0x0b];
/** `if … end` on the i32 `cond`. */
export const ifThen = (cond: Code, ...body: Code[]): Code => [cond, 0x04, 0x40, body, 0x0b];
/** `if … else … end` on the i32 `cond`. */
export const ifThenElse = (cond: Code, then: Code, otherwise: Code): Code => [cond, 0x04, 0x40, then, 0x05, otherwise, 0x0b];
/** `br depth`. */
export const br = (depth: number): Code => [0x0c, unsignedLeb128(depth)];
/** `br_if depth`, taken when `cond` is non-zero. */
export const brIf = (depth: number, cond: Code): Code => [cond, 0x0d, unsignedLeb128(depth)];
/** `call index` with its arguments. */
export const call = (index: number, ...args: Code[]): Code => [args, 0x10, unsignedLeb128(index)];

// ---- variables -------------------------------------------------------------------------------------

/** `local.get index`. */
export const localGet = (index: number): Code => [0x20, unsignedLeb128(index)];
/** `local.set index` of `value`. */
export const localSet = (index: number, value: Code): Code => [value, 0x21, unsignedLeb128(index)];
/** `local.tee index`: sets the local and leaves `value` on the stack. */
export const localTee = (index: number, value: Code): Code => [value, 0x22, unsignedLeb128(index)];

// ---- memory ----------------------------------------------------------------------------------------
// A memory immediate is log2 of the alignment hint, then a constant byte offset added to the address.

function memarg(alignLog2: number, offset: number): Code {
  return [unsignedLeb128(alignLog2), unsignedLeb128(offset)];
}

/** `f32.load offset=…` at byte address `addr`. */
export const f32Load = (addr: Code, offset = 0): Code => [addr, 0x2a, memarg(2, offset)];
/** `i32.load offset=…` at byte address `addr`. */
export const i32Load = (addr: Code, offset = 0): Code => [addr, 0x28, memarg(2, offset)];
/** `f32.store offset=…` of `value` at `addr`. */
export const f32Store = (addr: Code, value: Code, offset = 0): Code => [addr, value, 0x38, memarg(2, offset)];

// ---- numbers ---------------------------------------------------------------------------------------

/** `i32.const value` (signed immediate; values of 2^31 and above keep their 32-bit pattern). */
export const i32Const = (value: number): Code => [0x41, signedLeb128(value)];
/** `f32.const value`. */
export function f32Const(value: number): Code {
  const bytes = new Uint8Array(new Float32Array([value]).buffer);
  return [0x43, Array.from(bytes)];
}
/** `f64.const value`. */
export function f64Const(value: number): Code {
  return [0x44, Array.from(new Uint8Array(new Float64Array([value]).buffer))];
}
/** `f64.add`. */
export const f64Add = (a: Code, b: Code): Code => [a, b, 0xa0];
/** `f64.div`. */
export const f64Div = (a: Code, b: Code): Code => [a, b, 0xa3];
/** `f64.promote_f32`: the exact double of a float. */
export const f64PromoteF32 = (a: Code): Code => [a, 0xbb];
/** `f32.demote_f64`: the double rounded to float (nearest even). */
export const f32DemoteF64 = (a: Code): Code => [a, 0xb6];
/** `f32.div` (correctly rounded). */
export const f32Div = (a: Code, b: Code): Code => [a, b, 0x95];
/** `i32.add`. */
export const i32Add = (a: Code, b: Code): Code => [a, b, 0x6a];
/** `i32.sub`. */
export const i32Sub = (a: Code, b: Code): Code => [a, b, 0x6b];
/** `i32.mul`. */
export const i32Mul = (a: Code, b: Code): Code => [a, b, 0x6c];
/** `i32.eqz`. */
export const i32Eqz = (a: Code): Code => [a, 0x45];
/** `i32.eq`. */
export const i32Eq = (a: Code, b: Code): Code => [a, b, 0x46];
/** `i32.ne`. */
export const i32Ne = (a: Code, b: Code): Code => [a, b, 0x47];
/** `i32.lt_u` (addresses and sizes are unsigned). */
export const i32LtU = (a: Code, b: Code): Code => [a, b, 0x49];
/** `i32.gt_u`. */
export const i32GtU = (a: Code, b: Code): Code => [a, b, 0x4b];
/** `i32.ge_u`. */
export const i32GeU = (a: Code, b: Code): Code => [a, b, 0x4f];
/** `i32.and`. */
export const i32And = (a: Code, b: Code): Code => [a, b, 0x71];
/** `select`: `a` when `cond` is non-zero, else `b`. */
export const select = (a: Code, b: Code, cond: Code): Code => [a, b, cond, 0x1b];

// ---- SIMD: the 0xFD prefix, then the opcode as unsigned LEB128 ---------------------------------------

function simd(opcode: number): Code {
  return [0xfd, unsignedLeb128(opcode)];
}

/** `v128.load offset=…` of 16 bytes at `addr`. */
export const v128Load = (addr: Code, offset = 0): Code => [addr, simd(0x00), memarg(4, offset)];
/** `v128.load32_splat offset=…`: one f32 at `addr` copied into all four lanes. */
export const v128Load32Splat = (addr: Code, offset = 0): Code => [addr, simd(0x09), memarg(2, offset)];
/** `v128.store offset=…` of `value` at `addr`. */
export const v128Store = (addr: Code, value: Code, offset = 0): Code => [addr, value, simd(0x0b), memarg(4, offset)];
/** `v128.const` with its 16 bytes, lane 0 first. */
export function v128Const(bytes: readonly number[]): Code {
  if (bytes.length !== 16) throw new ValueError(`v128Const: expected 16 bytes, received ${bytes.length}`);
  return [simd(0x0c), bytes];
}
/** `f32x4.splat`: `x` in all four lanes. */
export const f32x4Splat = (x: Code): Code => [x, simd(0x13)];
/** `f32x4.extract_lane lane`. */
export const f32x4ExtractLane = (v: Code, lane: number): Code => [v, simd(0x1f), lane];
/** `f32x4.add`. */
export const f32x4Add = (a: Code, b: Code): Code => [a, b, simd(0xe4)];
/** `f32x4.mul`. */
export const f32x4Mul = (a: Code, b: Code): Code => [a, b, simd(0xe6)];
/**
 * `f32x4.relaxed_madd`: a·b + c per lane, fused or not as the CPU prefers (relaxed-SIMD proposal).
 * Its opcode 0x105 is the first SIMD opcode that needs two LEB128 bytes.
 */
export const f32x4RelaxedMadd = (a: Code, b: Code, c: Code): Code => [a, b, c, simd(0x105)];
/** `i16x8.extend_low_i8x16_s`: the low eight i8 lanes, sign-extended to i16. */
export const i16x8ExtendLowI8x16S = (v: Code): Code => [v, simd(0x87)];
/** `i16x8.extend_high_i8x16_s`: the high eight i8 lanes, sign-extended to i16. */
export const i16x8ExtendHighI8x16S = (v: Code): Code => [v, simd(0x88)];
/** `i32x4.add`. */
export const i32x4Add = (a: Code, b: Code): Code => [a, b, simd(0xae)];
/** `i32x4.dot_i16x8_s`: lane i = a[2i]·b[2i] + a[2i+1]·b[2i+1], exact in i32. */
export const i32x4DotI16x8S = (a: Code, b: Code): Code => [a, b, simd(0xba)];
/**
 * `i32x4.relaxed_dot_i8x16_i7x16_add_s` (relaxed SIMD, opcode 0x113): lane i = c[i] + Σ_{d<4}
 * a[4i+d]·b[4i+d], a signed int8 and b in [−64, 63]; outside that range of b the result is
 * implementation-defined.
 */
export const i32x4RelaxedDotI8x16I7x16AddS = (a: Code, b: Code, c: Code): Code => [a, b, c, simd(0x113)];
/** `i8x16.narrow_i16x8_s`: a's eight lanes then b's, to i8 with signed saturation. */
export const i8x16NarrowI16x8S = (a: Code, b: Code): Code => [a, b, simd(0x65)];
/** `i16x8.add` (wrapping). */
export const i16x8Add = (a: Code, b: Code): Code => [a, b, simd(0x8e)];
/** `i16x8.splat` of an i32 (its low 16 bits). */
export const i16x8Splat = (a: Code): Code => [a, simd(0x10)];
/** `i32x4.sub`. */
export const i32x4Sub = (a: Code, b: Code): Code => [a, b, simd(0xb1)];
/** `f64.convert_i32_s`. */
export const f64ConvertI32S = (a: Code): Code => [a, 0xb7];
/** `i16x8.min_s`. */
export const i16x8MinS = (a: Code, b: Code): Code => [a, b, simd(0x96)];
/** `i16x8.max_s`. */
export const i16x8MaxS = (a: Code, b: Code): Code => [a, b, simd(0x98)];
/** `v128.and`. */
export const v128And = (a: Code, b: Code): Code => [a, b, simd(0x4e)];
/** `i32.shr_u`. */
export const i32ShrU = (a: Code, b: Code): Code => [a, b, 0x76];
/** `f32.max`. */
export const f32Max = (a: Code, b: Code): Code => [a, b, 0x97];
/** `v128.store32_lane offset=… lane`: stores i32 lane `lane` of `value` at `addr`. */
export const v128Store32Lane = (addr: Code, value: Code, lane: number, offset = 0): Code => [addr, value, simd(0x5a), memarg(2, offset), lane];
/** `v128.store64_lane offset=… lane`: stores i64 lane `lane` of `value` at `addr`. */
export const v128Store64Lane = (addr: Code, value: Code, lane: number, offset = 0): Code => [addr, value, simd(0x5b), memarg(3, offset), lane];
/** `f32x4.abs`. */
export const f32x4Abs = (v: Code): Code => [v, simd(0xe0)];
/** `f32x4.min` (NaN-propagating, as the spec). */
export const f32x4Min = (a: Code, b: Code): Code => [a, b, simd(0xe8)];
/** `f32x4.max`. */
export const f32x4Max = (a: Code, b: Code): Code => [a, b, simd(0xe9)];
/** `f32x4.nearest`: round to the nearest integer, halves to even. */
export const f32x4Nearest = (v: Code): Code => [v, simd(0x6a)];
/** `i32x4.trunc_sat_f32x4_s`: float lanes to i32, saturating. */
export const i32x4TruncSatF32x4S = (v: Code): Code => [v, simd(0xf8)];
/** `i16x8.narrow_i32x4_s`: a's four lanes then b's, to i16 with signed saturation. */
export const i16x8NarrowI32x4S = (a: Code, b: Code): Code => [a, b, simd(0x85)];
/** `f32x4.convert_i32x4_s`: i32 lanes to float32, rounding to nearest even. */
export const f32x4ConvertI32x4S = (v: Code): Code => [v, simd(0xfa)];
