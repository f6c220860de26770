/** Writes `bias` (length `cols`) into every one of the `rows` rows of `out` (row-major rows×cols). */
export function broadcastRows(bias: Float32Array, rows: number, cols: number, out: Float32Array): void {
  // A plain loop: `out.set(bias.subarray(…))` per row allocated a view per row and cost more than the copy.
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) out[o + c] = bias[c];
  }
}

/**
 * Column sums of a row-major rows×cols matrix into `out` (length cols): the gradient of a bias
 * added to every row. Accumulates in float64 so a long batch does not lose precision.
 */
export function sumRows(src: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) acc[c] += src[o + c];
  }
  for (let c = 0; c < cols; c++) out[c] = acc[c];
}
