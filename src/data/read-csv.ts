import { readFileSync } from 'node:fs';
import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';

/** A numeric table read from a CSV file: the column names and one row of numbers per line. */
export interface CsvTable {
  /** Column names (from the header, or `0`, `1`, …). */
  columns: string[];
  /** One array of numbers per data line. */
  rows: number[][];
}

/** Options of `readCsv`. */
export interface ReadCsvOptions {
  /** Cell separator (default `,`). */
  delimiter?: string;
  /** Whether the first line names the columns (default true; otherwise they are `0`, `1`, …). */
  header?: boolean;
}

/**
 * Reads a whole numeric CSV file at once (for small tables; `data.csv` streams big ones). Blank lines are
 * skipped; a row with the wrong cell count or a non-number names the file, line and column.
 * @example const { columns, rows } = readCsv('data.csv'); const labels = rows.map((r) => r[0]);
 */
export function readCsv(path: string, options: ReadCsvOptions = {}): CsvTable {
  checkOptionKeys(options, ['delimiter', 'header'], 'readCsv');
  const { delimiter = ',', header = true } = options;
  if (typeof delimiter !== 'string' || delimiter.length === 0) throw new ValueError(`readCsv: delimiter must be a non-empty string, received ${JSON.stringify(delimiter)}`);
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== '');
  if (lines.length === 0) throw new ValueError(`readCsv: ${path} is empty`);
  const first = lines[0].text.split(delimiter).map((c) => c.trim());
  const columns = header ? first : first.map((_, j) => String(j));
  const body = header ? lines.slice(1) : lines;
  const rows = body.map(({ text, line }) => {
    const cells = text.split(delimiter);
    if (cells.length !== columns.length) throw new ValueError(`readCsv: ${path}:${line}: expected ${columns.length} cells, found ${cells.length}`);
    return cells.map((c, j) => {
      const v = c.trim() === '' ? NaN : Number(c);
      if (!Number.isFinite(v)) throw new ValueError(`readCsv: ${path}:${line}: column '${columns[j]}' is not a number: ${JSON.stringify(c.slice(0, 40))}`);
      return v;
    });
  });
  return { columns, rows };
}
