import { ValueError } from '../util/errors.js';
import { latin1 } from './parse-number.js';

const QUOTE = 34;
const NEWLINE = 10;
const CR = 13;

/** The scan state of the record being read: inside a quoted cell, whether any quote was seen, and a cached quote search. */
export interface ScanState {
  inQuote: boolean;
  quoted: boolean;
  /** The buffer `quoteAt` was found in, and where the search started. */
  view?: Uint8Array;
  quoteFrom?: number;
  /** The first quote at or after `quoteFrom` in `view` (-1: none). */
  quoteAt?: number;
}

/** The first quote at or after `i` in `bytes` (-1: none), searching each buffer once however many rows it holds. */
function nextQuote(bytes: Uint8Array, i: number, state: ScanState): number {
  if (state.view !== bytes || i < state.quoteFrom! || (state.quoteAt! !== -1 && state.quoteAt! < i)) {
    state.view = bytes;
    state.quoteFrom = i;
    state.quoteAt = bytes.indexOf(QUOTE, i);
  }
  return state.quoteAt!;
}

/**
 * Where a record ends, RFC 4180 style: at the first newline outside double quotes. The scan resumes from
 * `from` with the state it had there (a record cut by a chunk boundary is not scanned twice). A quote
 * toggles the state, so an escaped `""` toggles twice and changes nothing. Returns the newline's index,
 * or -1 when the record goes on past the end of `bytes`. Searches run natively (`indexOf`); the next quote's
 * position is kept, so a file without quotes costs one newline search per row.
 */
export function findRecordEnd(bytes: Uint8Array, from: number, state: ScanState): number {
  let i = from;
  for (;;) {
    const q = nextQuote(bytes, i, state);
    if (state.inQuote) {
      if (q === -1) return -1;
      state.inQuote = false;
      i = q + 1;
      continue;
    }
    const nl = bytes.indexOf(NEWLINE, i);
    if (q === -1 || (nl !== -1 && q > nl)) return nl;
    state.quoted = true;
    state.inQuote = true;
    i = q + 1;
  }
}

/** Newlines in bytes [start, end): a record spanning several physical lines moves the line count on by that. */
export function countNewlines(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(NEWLINE, start); i !== -1 && i < end; i = bytes.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/** The end of a record without its line ending (`\r\n` or `\n` already cut: a trailing `\r` goes). */
export function trimCR(bytes: Uint8Array, start: number, end: number): number {
  return end > start && bytes[end - 1] === CR ? end - 1 : end;
}

/** Where the cell at `cellStart` is: content [start, end), and `next`, the index of the delimiter or row end after it. */
export interface CellSpan {
  start: number;
  end: number;
  next: number;
  /** Whether the content holds `""` escapes (then it is not the cell's text byte for byte). */
  escaped: boolean;
}

/**
 * The cell starting at `cellStart` in a record ending at `end`. A quoted cell runs to its closing quote
 * (`""` inside is one quote) and must be followed by the delimiter or the record's end; an unquoted one runs
 * to the next delimiter. `where` names the file and line for errors.
 */
export function cellAt(bytes: Uint8Array, cellStart: number, end: number, delimiter: number, span: CellSpan, where: string, column: number): void {
  if (cellStart < end && bytes[cellStart] === QUOTE) {
    let i = cellStart + 1;
    let escaped = false;
    for (;;) {
      const q = bytes.indexOf(QUOTE, i);
      if (q === -1 || q >= end) throw new ValueError(`${where}, column ${column}: a quoted cell is not closed (expected a closing '"' before the end of the record)`);
      if (q + 1 < end && bytes[q + 1] === QUOTE) {
        escaped = true;
        i = q + 2;
        continue;
      }
      if (q + 1 < end && bytes[q + 1] !== delimiter) {
        throw new ValueError(`${where}, column ${column}: expected the delimiter or the end of the row after a closing quote, received '${latin1(bytes, q + 1, Math.min(end, q + 11))}'`);
      }
      span.start = cellStart + 1;
      span.end = q;
      span.next = q + 1;
      span.escaped = escaped;
      return;
    }
  }
  let d = bytes.indexOf(delimiter, cellStart);
  if (d === -1 || d >= end) d = end;
  span.start = cellStart;
  span.end = d;
  span.next = d;
  span.escaped = false;
}

/** The cells of one record as strings (header names): quotes removed, `""` made one quote. */
export function recordCells(bytes: Uint8Array, start: number, end: number, delimiter: number, where: string): string[] {
  const decoder = new TextDecoder();
  const span: CellSpan = { start: 0, end: 0, next: 0, escaped: false };
  const cells: string[] = [];
  for (let at = start; ; at = span.next + 1) {
    cellAt(bytes, at, end, delimiter, span, where, cells.length + 1);
    const text = decoder.decode(bytes.subarray(span.start, span.end));
    // Unquoted names are trimmed (` a, b`); a quoted name is kept as written.
    cells.push(span.start === at ? text.trim() : span.escaped ? text.replaceAll('""', '"') : text);
    if (span.next >= end) return cells;
  }
}
