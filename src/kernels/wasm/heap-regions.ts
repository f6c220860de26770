/** `n` rounded up to a multiple of `m`. */
export const roundUp = (n: number, m: number): number => Math.ceil(n / m) * m;

/**
 * Bump allocation of 64-byte aligned regions of WebAssembly memory from its start, for kernels that
 * run one at a time on the calling thread (the GEMM lays out the same memory afresh on each call).
 */
export class Regions {
  /** One past the last byte taken. */
  end = 64;

  /** The address of a fresh region of `bytes` (at least 16, so a vector never reads past it). */
  take(bytes: number): number {
    const at = this.end;
    this.end = roundUp(at + Math.max(bytes, 16), 64);
    return at;
  }
}
