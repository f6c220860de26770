import { readFileSync } from 'node:fs';

/** A numeric table read from CSV: the header's column names and one row of numbers per line. */
export interface Table {
  columns: string[];
  rows: number[][];
}

/** Reads a comma-separated file with a header row and numeric cells; says which line is bad. */
export function readNumericCsv(path: string): Table {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const columns = lines[0].split(',').map((c) => c.trim());
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== columns.length) {
      throw new Error(`${path}:${i + 2}: expected ${columns.length} cells, found ${cells.length}`);
    }
    return cells.map((c, j) => {
      const v = Number(c);
      if (!Number.isFinite(v)) throw new Error(`${path}:${i + 2}: column ${columns[j]} is not a number: ${JSON.stringify(c)}`);
      return v;
    });
  });
  return { columns, rows };
}
