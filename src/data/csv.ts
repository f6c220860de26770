import { createReadStream } from 'node:fs';
import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { makeRng, Rng } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { Dataset } from './dataset.js';
import { latin1, parseNumber } from './parse-number.js';
import { cellAt, CellSpan, countNewlines, findRecordEnd, recordCells, ScanState, trimCR } from './csv-record.js';

/** Options of `csv` (TF.js spellings where TF.js has them). */
export interface CsvOptions {
  /** Whether the first line names the columns. Default true. */
  header?: boolean;
  /** Column names, in file order: needed to pick columns by name in a file without a header (TF.js `columnNames`). */
  columnNames?: string[];
  /** The feature columns (`xs`), in this order. Default: every column that is not a label. */
  columns?: string[];
  /** The target column(s) (`ys`); without, elements are `{ xs }` only. */
  labelColumn?: string | string[];
  /** Rows per batch. Default 32. */
  batchSize?: number;
  /** Rows held for shuffling (0: file order). Reshuffled every pass. Default 0. */
  shuffleBuffer?: number;
  /** TF.js spelling of `shuffleBuffer`. */
  shuffleBufferSize?: number;
  /** Seed of the shuffle (default: drawn from the seeded stream at the start of every pass). */
  seed?: number | string;
  /** Cell separator. Default `','`. */
  delimiter?: string;
  /** Longest record accepted, in bytes (bounds memory when a closing quote is missing). Default 16 MiB. */
  maxRecordBytes?: number;
}

/** A batch of CSV rows: features `[b, columns]` and, with a label column, targets `[b, labels]`. */
export interface CsvBatch {
  xs: Tensor;
  ys?: Tensor;
}

const KEYS = ['header', 'columnNames', 'columns', 'labelColumn', 'batchSize', 'shuffleBuffer', 'shuffleBufferSize', 'seed', 'delimiter', 'maxRecordBytes'];

/** Which cells of a row make the features and the labels. */
interface Layout {
  cells: number;
  features: Int32Array;
  labels: Int32Array;
}

function resolveLayout(path: string, names: string[], opts: CsvOptions): Layout {
  const labelNames = opts.labelColumn === undefined ? [] : Array.isArray(opts.labelColumn) ? opts.labelColumn : [opts.labelColumn];
  const index = (name: string, what: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new ValueError(`csv '${path}': ${what} '${name}' is not a column; the columns are ${names.map((n) => `'${n}'`).join(', ')}`);
    return i;
  };
  const labels = labelNames.map((n) => index(n, 'labelColumn'));
  const features = opts.columns !== undefined ? opts.columns.map((n) => index(n, 'column')) : names.map((_, i) => i).filter((i) => !labels.includes(i));
  if (features.length === 0) throw new ValueError(`csv '${path}': no feature column left (columns: ${names.join(', ')}; labels: ${labelNames.join(', ')})`);
  return { cells: names.length, features: Int32Array.from(features), labels: Int32Array.from(labels) };
}

/** Where each cell of a row goes in a row of `width` values (-1: not read), from a layout. */
function slotsOf(layout: Layout): Int32Array {
  const slots = new Int32Array(layout.cells).fill(-1);
  layout.features.forEach((c, j) => (slots[c] = j));
  layout.labels.forEach((c, j) => (slots[c] = layout.features.length + j));
  return slots;
}

/** Parses the row in bytes [start, end) into `out` at `at`; the error names file, line and column. */
function parseRow(bytes: Uint8Array, start: number, end: number, delimiter: number, slots: Int32Array, names: string[], out: Float32Array, at: number, path: string, line: number): void {
  let col = 0;
  let cellStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && bytes[i] !== delimiter) continue;
    if (col < slots.length) {
      const slot = slots[col];
      if (slot >= 0) out[at + slot] = cellNumber(bytes, cellStart, i, names, col, path, line);
    }
    col++;
    cellStart = i + 1;
  }
  if (col !== slots.length) throw cellCount(path, line, slots.length, col);
}

const SPAN: CellSpan = { start: 0, end: 0, next: 0, escaped: false };

/** `parseRow` for a record holding quotes: cells are cut RFC 4180 style (a quoted cell may hold delimiters, `""` and newlines). */
function parseQuotedRow(bytes: Uint8Array, start: number, end: number, delimiter: number, slots: Int32Array, names: string[], out: Float32Array, at: number, path: string, line: number): void {
  const where = `csv '${path}' line ${line}`;
  let col = 0;
  for (let cellStart = start; ; cellStart = SPAN.next + 1) {
    cellAt(bytes, cellStart, end, delimiter, SPAN, where, col + 1);
    if (col < slots.length) {
      const slot = slots[col];
      if (slot >= 0) out[at + slot] = cellNumber(bytes, SPAN.start, SPAN.end, names, col, path, line);
    }
    col++;
    if (SPAN.next >= end) break;
  }
  if (col !== slots.length) throw cellCount(path, line, slots.length, col);
}

function cellNumber(bytes: Uint8Array, start: number, end: number, names: string[], col: number, path: string, line: number): number {
  const v = parseNumber(bytes, start, end);
  if (!Number.isFinite(v)) {
    throw new ValueError(`csv '${path}' line ${line}, column ${col + 1} ('${names[col]}'): expected a number, received '${latin1(bytes, start, Math.min(end, start + 40))}'`);
  }
  return v;
}

const cellCount = (path: string, line: number, expected: number, received: number) =>
  new ValueError(`csv '${path}' line ${line}: expected ${expected} cells (one per column), received ${received}`);

/** The file's bytes in 1 MiB chunks (never the whole file). */
async function* chunks(path: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array;
  } catch (e) {
    throw new ValueError(`csv: cannot read '${path}': ${(e as Error).message}`);
  }
}

/** Row storage for one batch, or the shuffle pool, `width` values per row. */
class Rows {
  readonly data: Float32Array;
  count = 0;
  constructor(readonly capacity: number, readonly width: number) {
    this.data = new Float32Array(capacity * width);
  }
}

function toBatch(rows: Rows, features: number, hasLabels: boolean): CsvBatch {
  const n = rows.count;
  const w = rows.width;
  const labels = w - features;
  const src = rows.data;
  const xs = new Float32Array(n * features);
  const ys = new Float32Array(n * labels);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < features; j++) xs[r * features + j] = src[r * w + j];
    for (let j = 0; j < labels; j++) ys[r * labels + j] = src[r * w + features + j];
  }
  const batch: CsvBatch = { xs: new Tensor(xs, [n, features]) };
  if (hasLabels) batch.ys = new Tensor(ys, [n, w - features]);
  return batch;
}

/** One pass: lines are cut from a reused work buffer (a partial last line carries over to the next chunk). */
class CsvReader {
  private names: string[] | null;
  private layout: Layout | null = null;
  private slots: Int32Array = new Int32Array(0);
  private batch: Rows | null = null;
  private pool: Rows | null = null;
  private scratch = new Float32Array(0);
  private readonly delimiter: number;
  line = 0;

  constructor(readonly path: string, readonly opts: CsvOptions, readonly batchSize: number, readonly poolSize: number, readonly rng: Rng | null) {
    this.names = opts.header === false ? opts.columnNames ?? null : null;
    this.delimiter = (opts.delimiter ?? ',').charCodeAt(0);
  }

  /** Takes the record in bytes [start, end) (line ending cut), starting on `line`; true when a batch is full. */
  take(bytes: Uint8Array, start: number, end: number, line: number, quoted: boolean): boolean {
    this.line = line;
    if (end === start) return false;
    if (this.layout === null) {
      const isHeader = this.opts.header !== false;
      const cells = recordCells(bytes, start, end, this.delimiter, `csv '${this.path}' line ${line}`);
      this.names ??= isHeader ? cells : cells.map((_, i) => `column_${i + 1}`);
      this.layout = resolveLayout(this.path, this.names, this.opts);
      this.slots = slotsOf(this.layout);
      const width = this.layout.features.length + this.layout.labels.length;
      this.batch = new Rows(this.batchSize, width);
      if (this.poolSize > 0) this.pool = new Rows(this.poolSize, width);
      this.scratch = new Float32Array(width);
      if (isHeader) return false;
    }
    const batch = this.batch!;
    const pool = this.pool;
    const w = batch.width;
    const target = pool === null ? batch : pool.count < pool.capacity ? pool : null;
    const out = target === null ? this.scratch : target.data;
    (quoted ? parseQuotedRow : parseRow)(bytes, start, end, this.delimiter, this.slots, this.names!, out, target === null ? 0 : target.count * w, this.path, this.line);
    if (pool !== null && target === pool) {
      pool.count++;
      return false;
    }
    if (target === null && pool !== null) {
      // A full pool: a random pooled row goes out, the new row takes its place.
      const i = Math.floor(this.rng!() * pool.capacity);
      batch.data.set(pool.data.subarray(i * w, (i + 1) * w), batch.count * w);
      pool.data.set(this.scratch, i * w);
    }
    return ++batch.count === this.batchSize;
  }

  /** The full batch (then empties it). */
  flush(): CsvBatch {
    const b = toBatch(this.batch!, this.layout!.features.length, this.opts.labelColumn !== undefined);
    this.batch!.count = 0;
    return b;
  }

  /** At the end of the file: pooled rows in random order, then what is left; true when a batch is full. */
  *drain(): Generator<CsvBatch> {
    if (this.layout === null) throw new ValueError(`csv '${this.path}': the file has no rows`);
    const batch = this.batch!;
    const pool = this.pool;
    if (pool !== null) {
      const w = pool.width;
      for (let n = pool.count; n > 0; n--) {
        const i = Math.floor(this.rng!() * n);
        batch.data.set(pool.data.subarray(i * w, (i + 1) * w), batch.count * w);
        pool.data.copyWithin(i * w, (n - 1) * w, n * w);
        if (++batch.count === this.batchSize) yield this.flush();
      }
    }
    if (batch.count > 0) yield this.flush();
  }
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * One pass over the file: records are cut from a reused work buffer at newlines outside quotes (a record
 * may span physical lines and chunks; the unfinished one carries over). The carry is capped at
 * `maxRecord` bytes, so a missing closing quote fails instead of buffering the rest of the file.
 */
async function* readBatches(path: string, opts: CsvOptions, batchSize: number, poolSize: number, rng: Rng | null, maxRecord: number): AsyncGenerator<CsvBatch> {
  const reader = new CsvReader(path, opts, batchSize, poolSize, rng);
  let work = new Uint8Array(2 << 20);
  let carry = 0;
  let first = true;
  let line = 1;
  const state: ScanState = { inQuote: false, quoted: false };
  for await (const chunk of chunks(path)) {
    if (carry + chunk.length > work.length) {
      const grown = new Uint8Array(2 * (carry + chunk.length));
      grown.set(work.subarray(0, carry));
      work = grown;
    }
    work.set(chunk, carry);
    const view = work.subarray(0, carry + chunk.length);
    let start = 0;
    if (first && view.length >= 3 && BOM.every((b, i) => view[i] === b)) start = 3;
    first = false;
    // The carried bytes were scanned already (state says where the scan stood).
    for (let nl = findRecordEnd(view, Math.max(start, carry), state); nl !== -1; nl = findRecordEnd(view, start, state)) {
      const full = reader.take(view, start, trimCR(view, start, nl), line, state.quoted);
      line += state.quoted ? 1 + countNewlines(view, start, nl) : 1;
      state.quoted = false;
      start = nl + 1;
      if (full) yield reader.flush();
    }
    carry = view.length - start;
    if (carry > maxRecord) {
      throw new ValueError(`csv '${path}' line ${line}: a record longer than maxRecordBytes (${maxRecord} bytes)${state.inQuote ? ', inside a quoted cell (is a closing quote missing?)' : ''}; raise maxRecordBytes if records are this long`);
    }
    work.copyWithin(0, start, view.length);
  }
  if (state.inQuote) throw new ValueError(`csv '${path}' line ${line}: unterminated quote: a quoted cell of the record starting on this line is never closed`);
  if (carry > 0 && reader.take(work, 0, trimCR(work, 0, carry), line, state.quoted)) yield reader.flush();
  yield* reader.drain();
}

/**
 * Streams a numeric CSV file as batches `{ xs, ys }`, one pass per iteration (per epoch), reading it in
 * 1 MiB chunks: memory holds one chunk, one batch and the shuffle pool, whatever the file size. A row with
 * the wrong number of cells or a cell that is not a number fails with the file, line and column, before
 * its batch is yielded. Cells follow RFC 4180: a quoted cell may hold the delimiter, `""` (one quote) and
 * newlines (the record then spans lines; errors name the line it starts on); CRLF endings and a UTF-8 BOM
 * are accepted; a record is at most `maxRecordBytes` long.
 * @example const ds = data.csv('train.csv', { labelColumn: 'label', batchSize: 64, shuffleBuffer: 10000, seed: 1 });
 */
export function csv(path: string, options: CsvOptions = {}): Dataset<CsvBatch> {
  checkOptionKeys(options, KEYS, 'csv');
  if (typeof path !== 'string' || path === '') throw new ValueError(`csv: expected a file path, received ${JSON.stringify(path)}`);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`csv: expected batchSize to be a positive integer, received ${String(batchSize)}`);
  if (options.shuffleBuffer !== undefined && options.shuffleBufferSize !== undefined) throw new ValueError('csv: give shuffleBuffer or shuffleBufferSize, not both');
  const poolSize = options.shuffleBuffer ?? options.shuffleBufferSize ?? 0;
  if (!Number.isInteger(poolSize) || poolSize < 0) throw new ValueError(`csv: expected shuffleBuffer to be an integer >= 0, received ${String(poolSize)}`);
  if (options.delimiter !== undefined && (typeof options.delimiter !== 'string' || options.delimiter.length !== 1 || options.delimiter.charCodeAt(0) > 127 || '"\r\n'.includes(options.delimiter))) {
    throw new ValueError(`csv: expected delimiter to be one ASCII character other than a quote or a line ending, received ${JSON.stringify(options.delimiter)}`);
  }
  if (options.header === false && options.columnNames === undefined && (options.labelColumn !== undefined || options.columns !== undefined)) {
    throw new ValueError(`csv '${path}': without a header, columns are picked by name only with columnNames (or name them column_1, column_2, …)`);
  }
  const maxRecord = options.maxRecordBytes ?? 1 << 24;
  if (!Number.isInteger(maxRecord) || maxRecord < 1) throw new ValueError(`csv: expected maxRecordBytes to be a positive integer, received ${String(maxRecord)}`);
  // Unseeded, each pass draws its generator from the seeded stream when it opens (a resumed fit re-draws it).
  const rng = poolSize > 0 && options.seed !== undefined ? makeRng(options.seed) : null;
  return new Dataset(() => readBatches(path, options, batchSize, poolSize, poolSize > 0 ? rng ?? makeRng() : null, maxRecord), null);
}
