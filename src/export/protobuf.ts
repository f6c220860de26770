// A minimal protocol-buffers writer: just the wire types an ONNX ModelProto uses (varint, 32-bit
// float, length-delimited). Messages are built inside-out: a child is encoded to bytes first, then
// written into its parent as a length-delimited field, so no size pre-pass is needed.

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const utf8 = new TextEncoder();

/** Appends protobuf fields to a growing byte buffer; `finish()` returns the encoded message. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  /**
   * A base-128 varint. Negative int64 values are written as their 64-bit two's complement (ten bytes),
   * as protobuf's int64 requires; BigInt keeps that exact beyond 2^53.
   */
  varint(value: number): void {
    if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
      let v = value;
      while (v >= 0x80) {
        this.byte((v % 0x80) | 0x80);
        v = Math.floor(v / 0x80);
      }
      this.byte(v);
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** An int32 / int64 / enum field. */
  int(field: number, value: number): void {
    this.tag(field, VARINT);
    this.varint(value);
  }

  /** A 32-bit float field. */
  float(field: number, value: number): void {
    this.tag(field, FIXED32);
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, value, true);
    this.len += 4;
  }

  /** A bytes field (also an embedded message already encoded). */
  bytes(field: number, data: Uint8Array): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(data.length);
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): void {
    this.bytes(field, utf8.encode(value));
  }

  /** An embedded message, encoded by `fill` into a fresh writer. */
  message(field: number, fill: (w: ProtoWriter) => void): void {
    const child = new ProtoWriter();
    fill(child);
    this.bytes(field, child.finish());
  }

  /** A packed repeated int64 field. */
  packedInts(field: number, values: readonly number[]): void {
    const child = new ProtoWriter();
    for (const v of values) child.varint(v);
    this.bytes(field, child.finish());
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): void {
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.bytes(field, data);
  }

  /** The encoded bytes so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
