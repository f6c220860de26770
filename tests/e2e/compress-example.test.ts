import { describe, expect, it } from 'vitest';
import { cnnQuantization, compressExample, renderRows } from '../../examples/compress.js';

// The compression example end to end, with fewer epochs than its own run (whose table the report quotes).
describe('examples/compress.ts', () => {
  it('distils, prunes and quantizes the breast-cancer model, keeping its accuracy', async () => {
    const rows = await compressExample({ epochs: 60, tuneEpochs: 15, speedSamples: 1000 });
    const by = Object.fromEntries(rows.map((r) => [r.model, r]));
    const teacher = rows[0];
    expect(teacher.accuracy).toBeGreaterThanOrEqual(0.93);
    const int8 = by['teacher int8'];
    expect(Math.abs(int8.accuracy - teacher.accuracy)).toBeLessThanOrEqual(0.02);
    expect(int8.fileBytes / teacher.fileBytes).toBeLessThanOrEqual(0.27);
    expect(int8.residentBytes / teacher.residentBytes).toBeLessThanOrEqual(0.27);
    expect(by['teacher float16'].residentBytes / teacher.residentBytes).toBeLessThanOrEqual(0.52);
    // Pruned: same raw size, but 80 % zeros compress.
    const pruned = by['teacher pruned 80 %'];
    expect(pruned.gzipBytes).toBeLessThan(0.5 * teacher.gzipBytes);
    expect(pruned.accuracy).toBeGreaterThanOrEqual(teacher.accuracy - 0.03);
    const student = by['student 30-16-2, distilled'];
    expect(student.params).toBeLessThanOrEqual(teacher.params / 4);
    expect(student.accuracy).toBeGreaterThanOrEqual(teacher.accuracy - 0.04);
    const final = by['student distilled + pruned + int8'];
    expect(final.fileBytes).toBeLessThan(teacher.fileBytes / 20);
    expect(final.accuracy).toBeGreaterThanOrEqual(0.9);
    for (const r of rows) expect(r.samplesPerSecond).toBeGreaterThan(0);
    expect(renderRows(rows).split('\n')).toHaveLength(rows.length + 2);
  }, 120_000);

  it('quantizes the shapes CNN with its test accuracy kept', async () => {
    const r = await cnnQuantization({ epochs: 4, samples: 400, testSamples: 200 });
    expect(r.float32).toBeGreaterThan(0.7);
    expect(Math.abs(r.int8 - r.float32)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(r.float16 - r.float32)).toBeLessThanOrEqual(0.01);
    expect(r.fileRatio).toBeLessThanOrEqual(0.3);
  }, 120_000);
});
