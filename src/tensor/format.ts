/** Dimensions longer than this many values print only their first and last 3 (when the tensor is large). */
const EDGE = 3;
/** A tensor with more values than this is summarised with `...`, as tf.print does. */
export const SUMMARIZE_ABOVE = 20;

/** One value as tf.print shows it: up to 7 decimals, trailing zeros dropped. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(parseFloat(v.toFixed(7)));
}

/** Indices shown along a dimension of length `n`: all, or the first and last 3 with -1 for the `...`. */
function shownIndices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [0, 1, 2, -1, n - 3, n - 2, n - 1];
}

/**
 * The values of a row-major array of `shape` as nested brackets, one innermost row per line, every number
 * right-aligned to the widest, continuation lines indented under the opening bracket:
 * ```
 * [[1, 2  ],
 *  [3, 4.5]]
 * ```
 */
export function formatValues(data: Float32Array, shape: readonly number[]): string {
  if (shape.length === 0) return formatNumber(data[0]);
  const summarize = data.length > SUMMARIZE_ABOVE;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const texts = Array.from(data, formatNumber);
  const width = Math.max(...texts.map((t) => t.length), 1);
  const block = (axis: number, offset: number, indent: string): string => {
    const idx = shownIndices(shape[axis], summarize);
    if (axis === shape.length - 1) {
      return `[${idx.map((i) => (i < 0 ? '...' : texts[offset + i].padStart(width))).join(', ')}]`;
    }
    const inner = `${indent} `;
    const gap = `,${'\n'.repeat(shape.length - axis - 1)}${inner}`;
    return `[${idx.map((i) => (i < 0 ? '...' : block(axis + 1, offset + i * strides[axis], inner))).join(gap)}]`;
  };
  return block(0, 0, '');
}
