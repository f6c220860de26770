import { describe, expect, it } from 'vitest';
import { signedLeb128, unsignedLeb128 } from '../../../src/kernels/wasm/leb128.js';
import { ValueError } from '../../../src/util/errors.js';

// Expected bytes worked out by hand: split the value into 7-bit groups, least significant first,
// set the high bit on every byte but the last.
describe('unsignedLeb128', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]], // 128 = 0b1_0000000
    [261, [0x85, 0x02]], // f32x4.relaxed_madd: 261 = 2·128 + 5
    [624485, [0xe5, 0x8e, 0x26]], // 0b100110_0001110_1100101
    [0xffffffff, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('%d → %j', (value, bytes) => {
    expect(unsignedLeb128(value)).toEqual(bytes);
  });

  it.each([-1, 1.5, 2 ** 32, NaN])('rejects %d', (value) => {
    expect(() => unsignedLeb128(value)).toThrow(ValueError);
  });
});

// Signed: the last byte's bit 6 is the sign a decoder extends, so 64 needs a second byte and -64 not.
describe('signedLeb128', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [-1, [0x7f]],
    [63, [0x3f]],
    [64, [0xc0, 0x00]],
    [-64, [0x40]],
    [-65, [0xbf, 0x7f]],
    [-123456, [0xc0, 0xbb, 0x78]],
    [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
    [-(2 ** 31), [0x80, 0x80, 0x80, 0x80, 0x78]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x78]], // an address past 2 GiB keeps its 32-bit pattern
  ])('%d → %j', (value, bytes) => {
    expect(signedLeb128(value)).toEqual(bytes);
  });

  it.each([0.5, 2 ** 32, -(2 ** 31) - 1])('rejects %d', (value) => {
    expect(() => signedLeb128(value)).toThrow(ValueError);
  });
});
