/**
 * WebAssembly memory only grows, so the kernels that copy whole operands in (convolution, pooling,
 * elementwise) work in chunks of images or elements whose copies fit this many bytes: a large batch
 * then costs a bounded, reusable region instead of a permanent multi-gigabyte heap. 32 MiB keeps a
 * training batch of typical images in one call (W3's largest layer needs under 2 MiB).
 */
let chunkBytes = 1 << 25;

/** The chunk budget in bytes. */
export function wasmChunkBytes(): number {
  return chunkBytes;
}

/** Sets the chunk budget (tests lower it to exercise chunking on small inputs); at least 64 KiB. */
export function setWasmChunkBytes(bytes: number): void {
  chunkBytes = Math.max(1 << 16, Math.floor(bytes));
}

/** How many units of `bytesPerUnit` go in one chunk (at least 1). */
export function unitsPerChunk(bytesPerUnit: number): number {
  return Math.max(1, Math.floor(chunkBytes / Math.max(1, bytesPerUnit)));
}
