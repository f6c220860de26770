import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '../../src/tensor/tensor.js';
import { csv } from '../../src/data/csv.js';
import { ValueError } from '../../src/util/errors.js';
import { makeRng } from '../../src/util/random.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'neurite-csvq-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const rowsOf = (t: Tensor) => Array.from({ length: t.shape[0] }, (_, r) => Array.from(t.data.subarray(r * t.shape[1], (r + 1) * t.shape[1])));
const allRows = async (path: string, opts: Parameters<typeof csv>[1]) => (await csv(path, opts).toArray()).flatMap((b) => rowsOf(b.xs));

/**
 * An independent RFC 4180 reader for the tests: a character state machine over the whole text (no chunks,
 * no byte offsets), giving records of string cells and the line each record starts on.
 */
function referenceParse(text: string): { cells: string[]; line: number }[] {
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      cells.push(cell);
      records.push({ cells, line: start });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) records.push({ cells: [...cells, cell], line: start });
  return records;
}

describe('data.csv RFC 4180 quoting', () => {
  it('quoted cells with delimiters, escaped quotes and newlines; CRLF; BOM; quoted header names', async () => {
    const text = '\ufeff"a","note, with comma",b\r\n1,"say ""hi""",2\r\n3,"two\r\nlines, and ""q""",4\r\n"5","",6\r\n7,plain,"8"';
    const path = file('q.csv', text);
    const ds = csv(path, { columns: ['a', 'b'], batchSize: 10 });
    expect(await allRows(path, { columns: ['a', 'b'], batchSize: 10 })).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
    // The header's quoted name with a comma is one column, and the BOM is not part of the first name.
    const labelled = (await csv(path, { labelColumn: 'b', columns: ['a'], batchSize: 10 }).toArray())[0];
    expect(Array.from(labelled.ys!.data)).toEqual([2, 4, 6, 8]);
    expect((await ds.toArray()).length).toBe(1);
    // The reference reader agrees on the cells.
    expect(referenceParse(text.slice(1)).map((r) => r.cells[1])).toEqual(['note, with comma', 'say "hi"', 'two\r\nlines, and "q"', '', 'plain']);
  });

  it('a non-numeric cell after a multi-line record names the physical line the record starts on', async () => {
    const path = file('lines.csv', 'x,t,y\n1,"a\nb\nc",2\n3,"d",oops\n');
    await expect(allRows(path, { labelColumn: 'y', columns: ['x'] })).rejects.toThrow(`csv '${path}' line 5, column 3 ('y'): expected a number, received 'oops'`);
    const count = file('count.csv', 'x,t,y\n1,"a,\nb",2\n3,"d,e"\n');
    await expect(allRows(count, { labelColumn: 'y', columns: ['x'] })).rejects.toThrow(`csv '${count}' line 4: expected 3 cells (one per column), received 2`);
  });

  it('an unterminated quote is a NeuriteError with the line it opened on; text after a closing quote is refused', async () => {
    const path = file('open.csv', 'x,t,y\n1,"ok",2\n3,"never closed,4\n5,6,7\n');
    const err = await allRows(path, { labelColumn: 'y', columns: ['x'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValueError);
    expect((err as Error).message).toBe(`csv '${path}' line 3: unterminated quote: a quoted cell of the record starting on this line is never closed`);
    const after = file('after.csv', 'x,t,y\n1,"ab"c,2\n');
    await expect(allRows(after, { labelColumn: 'y', columns: ['x'] })).rejects.toThrow(`csv '${after}' line 2, column 2: expected the delimiter or the end of the row after a closing quote, received 'c,2'`);
  });

  it('maxRecordBytes caps one record (memory stays bounded when a quote is missing in a big file)', async () => {
    const body = Array.from({ length: 40000 }, (_, i) => `${i},"t",${i}`).join('\n');
    const path = file('cap.csv', `x,t,y\n1,"oops,1\n${body}\n`);
    await expect(allRows(path, { labelColumn: 'y', columns: ['x'], maxRecordBytes: 100000 })).rejects.toThrow(
      `csv '${path}' line 2: a record longer than maxRecordBytes (100000 bytes), inside a quoted cell (is a closing quote missing?)`,
    );
    // Without the stray quote the same file streams under the same cap.
    const ok = file('ok.csv', `x,t,y\n${body}\n`);
    expect((await allRows(ok, { labelColumn: 'y', columns: ['x'], maxRecordBytes: 100000 })).length).toBe(40000);
    expect(() => csv(ok, { maxRecordBytes: 0 })).toThrow('csv: expected maxRecordBytes to be a positive integer, received 0');
    expect(() => csv(ok, { delimiter: '"' })).toThrow('other than a quote');
  });

  it('agrees with an independent reader on a generated multi-chunk file (records cut across 1 MiB chunks)', async () => {
    const rng = makeRng(7);
    const pieces = ['a', 'b', ',', '""', '\n', '\r\n', ' ', 'x y', ';'];
    const text = (): string => Array.from({ length: Math.floor(rng() * 6) }, () => pieces[Math.floor(rng() * pieces.length)]).join('');
    const lines = ['id,"free, text",value,"more ""text"""'];
    const expected: number[][] = [];
    for (let r = 0; r < 60000; r++) {
      const id = r;
      const value = Math.round(rng() * 2000 - 1000) / 8 + 0; // + 0: no -0 (its text is '0')
      const t1 = text();
      const t2 = text();
      const q = (s: string) => (rng() < 0.8 || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
      lines.push(`${rng() < 0.5 ? `"${id}"` : id},${q(t1)},${value},${q(t2)}`);
      expected.push([id, value]);
    }
    const content = lines.join('\r\n') + '\r\n';
    expect(content.length).toBeGreaterThan(1.5 * (1 << 20));
    const path = file('gen.csv', content);
    const ref = referenceParse(content);
    expect(ref.length).toBe(60001);
    const refRows = ref.slice(1).map((r) => [Number(r.cells[0]), Number(r.cells[2])]);
    expect(refRows).toEqual(expected);
    const got = await allRows(path, { columns: ['id', 'value'], batchSize: 4096 });
    expect(got).toEqual(refRows.map((r) => r.map((v) => Math.fround(v))));
    // Error lines agree with the reference's record start lines: break the value of the last record.
    const broken = file('gen-bad.csv', content.replace(/,([-0-9.]+),([^,]*)\r\n$/, ',bad,$2\r\n'));
    const last = referenceParse(content).at(-1)!;
    await expect(allRows(broken, { columns: ['id', 'value'], batchSize: 4096 })).rejects.toThrow(`line ${last.line}, column 3 ('value')`);
  });
});
