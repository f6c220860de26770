import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '../../src/tensor/tensor.js';
import { csv } from '../../src/data/csv.js';
import { ValueError } from '../../src/util/errors.js';
import { seededArray } from '../helpers/seeded.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'neurite-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const rowsOf = (t: Tensor) => Array.from({ length: t.shape[0] }, (_, r) => Array.from(t.data.subarray(r * t.shape[1], (r + 1) * t.shape[1])));

describe('data.csv', () => {
  it('reads a header, picks features and labels by name, batches rows in file order (CRLF, quotes, blank lines)', async () => {
    const path = file('small.csv', 'a,label,b\r\n1,0,2\r\n3,1,4\r\n\r\n"5",0,6.5\r\n-7,1,8e-1\r\n9,0,10');
    const batches = await csv(path, { labelColumn: 'label', batchSize: 2 }).toArray();
    expect(batches.map((b) => b.xs.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
    expect(batches.flatMap((b) => rowsOf(b.xs))).toEqual([[1, 2], [3, 4], [5, 6.5], [-7, Math.fround(0.8)], [9, 10]]);
    expect(batches.flatMap((b) => Array.from(b.ys!.data))).toEqual([0, 1, 0, 1, 0]);
    expect(batches[0].ys!.shape).toEqual([2, 1]);
    const chosen = await csv(path, { columns: ['b'], batchSize: 10 }).toArray();
    expect(rowsOf(chosen[0].xs).map((r) => r[0])).toEqual([2, 4, 6.5, Math.fround(0.8), 10]);
    expect(chosen[0].ys).toBeUndefined();
    const noHeader = await csv(file('nh.csv', '1,2\n3,4\n'), { header: false, columnNames: ['x', 'y'], labelColumn: 'y' }).toArray();
    expect(rowsOf(noHeader[0].xs)).toEqual([[1], [3]]);
  });

  it('shuffleBuffer: a seeded permutation of the rows, different each pass, rows kept whole', async () => {
    const lines = ['x,y', ...Array.from({ length: 100 }, (_, i) => `${i},${i * 2}`)];
    const path = file('shuffle.csv', lines.join('\n'));
    const ds = csv(path, { labelColumn: 'y', batchSize: 16, shuffleBuffer: 20, seed: 4 });
    const pass = async () => (await ds.toArray()).flatMap((b) => rowsOf(b.xs).map((r, i) => [r[0], b.ys!.data[i]]));
    const first = await pass();
    const second = await pass();
    expect(first.map((r) => r[0]).sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    first.forEach(([x, y]) => expect(y).toBe(2 * x));
    expect(first).not.toEqual(second);
    const again = await (async () => (await csv(path, { labelColumn: 'y', batchSize: 16, shuffleBufferSize: 20, seed: 4 }).toArray()).flatMap((b) => Array.from(b.xs.data)))();
    expect(again).toEqual(first.map((r) => r[0]));
  });

  it('bad rows name the file, line and column, and stop before their batch is yielded', async () => {
    const cells = file('cells.csv', 'a,b,c\n1,2,3\n4,5\n');
    const seen: number[] = [];
    const consume = async (path: string, batchSize = 1) => {
      for await (const b of csv(path, { labelColumn: 'c', batchSize })) seen.push(b.xs.shape[0]);
    };
    await expect(consume(cells)).rejects.toThrow(ValueError);
    await expect(consume(cells)).rejects.toThrow(`csv '${cells}' line 3: expected 3 cells (one per column), received 2`);
    const text = file('text.csv', 'a,b,c\n1,2,3\n4,five,6\n');
    seen.length = 0;
    await expect(consume(text, 2)).rejects.toThrow(`csv '${text}' line 3, column 2 ('b'): expected a number, received 'five'`);
    expect(seen).toEqual([]); // the batch holding the bad row was never handed out
    await expect(consume(file('empty.csv', 'a,b,c\n1,,3\n'))).rejects.toThrow(/line 2, column 2 \('b'\): expected a number, received ''/);
    await expect(consume(join(dir, 'missing.csv'))).rejects.toThrow(/csv: cannot read '.*missing.csv'/);
    await expect(csv(cells, { labelColumn: 'z' }).toArray()).rejects.toThrow(/labelColumn 'z' is not a column; the columns are 'a', 'b', 'c'/);
    expect(() => csv(cells, { batchsize: 3 } as never)).toThrow(/unknown option 'batchsize'/);
    expect(() => csv(cells, { header: false, labelColumn: 'c' })).toThrow(/columnNames/);
  });

  it('streams a ~100 MB file in one pass with resident memory bounded well below the file size', async () => {
    // 10 features + 1 label per row, ~100 bytes a row; written in slabs so the test itself stays small in memory.
    const path = join(dir, 'big.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, `${Array.from({ length: 10 }, (_, i) => `f${i}`).join(',')},label\n`);
    const v = seededArray(11 * 2000, 9, 0, 1);
    const slab = Array.from({ length: 2000 }, (_, r) => Array.from({ length: 11 }, (_, j) => v[r * 11 + j].toFixed(6)).join(',')).join('\n') + '\n';
    const slabs = Math.ceil(100e6 / slab.length);
    for (let s = 0; s < slabs; s++) writeSync(fd, slab);
    closeSync(fd);
    const bytes = statSync(path).size;
    const rowsExpected = slabs * 2000;

    const before = process.memoryUsage().rss;
    let peak = before;
    let rows = 0;
    let checksum = 0;
    let batches = 0;
    for await (const b of csv(path, { labelColumn: 'label', batchSize: 1024 })) {
      rows += b.xs.shape[0];
      checksum += b.ys!.data[0];
      if (++batches % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(bytes).toBeGreaterThan(95e6);
    expect(rows).toBe(rowsExpected);
    expect(checksum).toBeGreaterThan(0);
    // Holding the file would take > 100 MB as text plus ~48 MB as floats; the stream holds a 1 MiB chunk and one batch.
    const growth = (peak - before) / 1e6;
    expect(growth).toBeLessThan(64);
  }, 60_000);
});
