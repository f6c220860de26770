/** Exact powers of ten representable in float64 (10^0 … 10^22): one multiply or divide by them is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Text of bytes [start, end) as Latin-1 (for the slow path and messages). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * The number written in bytes [start, end) (ASCII, optional spaces and double quotes around it), or NaN
 * when it is not one (an empty cell is not a number). Decimal mantissas of up to 15 digits with a power of
 * ten within ±22 are computed as one exact integer times or divided by an exact power of ten, which is
 * correctly rounded (Clinger's fast path) and so equals `Number(text)`; anything else goes to `Number`.
 */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  if (end - start >= 2 && bytes[start] === 34 && bytes[end - 1] === 34) {
    start++;
    end--;
  }
  if (start >= end) return NaN;
  let i = start;
  let negative = false;
  if (bytes[i] === 45 || bytes[i] === 43) negative = bytes[i++] === 45;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  for (; i < end && bytes[i] >= 48 && bytes[i] <= 57; i++, any = true) {
    if (digits > 0 || bytes[i] !== 48) digits++;
    mantissa = mantissa * 10 + (bytes[i] - 48);
  }
  if (i < end && bytes[i] === 46) {
    for (i++; i < end && bytes[i] >= 48 && bytes[i] <= 57; i++, any = true) {
      if (digits > 0 || bytes[i] !== 48) digits++;
      mantissa = mantissa * 10 + (bytes[i] - 48);
      scale--;
    }
  }
  if (!any) return slow(bytes, start, end);
  if (i < end && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === 45 || bytes[i] === 43)) expNegative = bytes[i++] === 45;
    let exp = 0;
    const expStart = i;
    for (; i < end && bytes[i] >= 48 && bytes[i] <= 57 && exp < 1e6; i++) exp = exp * 10 + (bytes[i] - 48);
    if (i === expStart) return NaN;
    scale += expNegative ? -exp : exp;
  }
  if (i !== end) return slow(bytes, start, end);
  if (digits > 15 || scale < -22 || scale > 22) return slow(bytes, start, end);
  const value = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
  return negative ? -value : value;
}

function slow(bytes: Uint8Array, start: number, end: number): number {
  const text = latin1(bytes, start, end);
  // Number() accepts forms a CSV number should not be read as ('0x10', 'Infinity', '1_000' is NaN anyway).
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return NaN;
  return Number(text);
}
