import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../src/export/protobuf.js';

// Expected bytes from the protobuf encoding rules: tag = field·8 + wire type, varints 7 bits per byte
// (low group first, high bit = more), int64 negatives as 64-bit two's complement, floats little-endian.
describe('ProtoWriter', () => {
  it('varints, negative int64, strings, floats, packed ints and nested messages', () => {
    const w = new ProtoWriter();
    w.int(1, 150);
    w.int(2, -1);
    w.string(3, 'hi');
    w.float(4, 1);
    w.packedInts(5, [3, 270]);
    w.message(6, (c) => c.int(1, 2 ** 40));
    expect(Array.from(w.finish())).toEqual([
      0x08, 0x96, 0x01,
      0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
      0x1a, 0x02, 0x68, 0x69,
      0x25, 0x00, 0x00, 0x80, 0x3f,
      0x2a, 0x03, 0x03, 0x8e, 0x02,
      0x32, 0x07, 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20,
    ]);
  });

  it('grows past its first buffer', () => {
    const w = new ProtoWriter();
    const big = new Uint8Array(1000).fill(7);
    w.bytes(1, big);
    const out = w.finish();
    expect(out.length).toBe(1 + 2 + 1000);
    expect(Array.from(out.subarray(0, 3))).toEqual([0x0a, 0xe8, 0x07]);
    expect(out[1002]).toBe(7);
  });
});
