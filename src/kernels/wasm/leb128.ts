import { ValueError } from '../../util/errors.js';

/**
 * LEB128, the variable-length integer encoding of the WebAssembly binary format: 7 bits per byte,
 * least significant group first, the high bit of a byte set when more bytes follow.
 */

/** Unsigned LEB128 of a non-negative integer below 2^32 (sizes, counts, indices, opcodes after a prefix). */
export function unsignedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ValueError(`unsignedLeb128: expected an integer in [0, 2^32), received ${value}`);
  }
  const out: number[] = [];
  let v = value;
  do {
    const group = v % 128;
    v = Math.floor(v / 128);
    out.push(v === 0 ? group : group | 0x80);
  } while (v !== 0);
  return out;
}

/**
 * Signed LEB128 of an integer in [-2^31, 2^32) (the `i32.const` immediate). Values of 2^31 and above
 * are taken as their 32-bit two's-complement pattern, so a byte offset past 2 GiB keeps its bits.
 */
export function signedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) {
    throw new ValueError(`signedLeb128: expected a 32-bit integer, received ${value}`);
  }
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const group = v & 0x7f;
    v >>= 7; // arithmetic shift keeps the sign
    // Done when the rest is pure sign and the group's top bit (the sign bit a decoder sees) agrees.
    const done = (v === 0 && (group & 0x40) === 0) || (v === -1 && (group & 0x40) !== 0);
    out.push(done ? group : group | 0x80);
    if (done) return out;
  }
}
