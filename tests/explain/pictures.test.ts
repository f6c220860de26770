import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { tensor } from '../../src/tensor/creation.js';
import { crc32 } from '../../src/explain/png.js';
import { decodePng } from '../helpers/png.js';
import { explain } from '../../src/index.js';

describe('pictures', () => {
  it('saveHeatmap writes a PNG whose pixels are the min–max scaled colours, blended over the image', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-explain-'));
    try {
      const map = tensor([[[0, 1, 2], [3, 4, 4]]]); // [1, 2, 3]: min 0 → the first stop, max 4 → the last
      const png = decodePng(readFileSync(explain.saveHeatmap(join(dir, 'a.png'), map)));
      expect([png.width, png.height, png.channels]).toEqual([3, 2, 3]);
      expect(Array.from(png.pixels.subarray(0, 3))).toEqual([0, 0, 128]);
      expect(Array.from(png.pixels.subarray(15, 18))).toEqual([220, 20, 0]);
      // value 2 → t = 0.5 → exactly the middle stop (0, 200, 80) of five.
      expect(Array.from(png.pixels.subarray(6, 9))).toEqual([0, 200, 80]);
      const image = tensor([[[0], [0], [0]], [[1], [1], [1]]]); // grey image: top row black, bottom white
      const over = decodePng(readFileSync(explain.saveHeatmap(join(dir, 'b.png'), map, { image, alpha: 0.25 })));
      expect(Array.from(over.pixels.subarray(0, 3))).toEqual([0, 0, 32]); // 0.25·(0,0,128) + 0.75·0
      expect(Array.from(over.pixels.subarray(15, 18))).toEqual([Math.round(0.25 * 220 + 0.75 * 255), Math.round(0.25 * 20 + 0.75 * 255), Math.round(0.75 * 255)]);
      const big = decodePng(readFileSync(explain.saveHeatmap(join(dir, 'd.png'), map, { scale: 2 })));
      expect([big.width, big.height]).toEqual([6, 4]);
      expect(Array.from(big.pixels.subarray(3, 6))).toEqual([0, 0, 128]); // (0, 1) repeats map value (0, 0)
      expect(Array.from(big.pixels.subarray((3 * 6 + 5) * 3, (3 * 6 + 5) * 3 + 3))).toEqual([220, 20, 0]);
      expect(() => explain.saveHeatmap(join(dir, 'c.png'), map, { image: tensor([[[1]]]) })).toThrow(/image of shape \[2, 3, 1 or 3\]/);
      expect(() => explain.saveHeatmap(join(dir, 'c.png'), tensor([1, 2]))).toThrow(/\[height, width\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the PNG CRC equals zlib’s CRC-32', () => {
    const bytes = new TextEncoder().encode('IHDR neurite explain');
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });

  it('saveBarChart draws one bar per feature, sorted by |value|, widths proportional, names escaped', () => {
    const svg = explain.renderBarChartSvg([0.5, -2, 1], ['a<b', 'radius', 'texture'], { title: 'SHAP' });
    expect(svg).toContain('a&lt;b');
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*data-value="([-\d.]+)"/g)].map((m) => [Number(m[2]), Number(m[3])]);
    expect(bars.map((b) => b[1])).toEqual([-2, 1, 0.5]);
    expect(bars[1][0] / bars[0][0]).toBeCloseTo(0.5, 2);
    expect(bars[2][0] / bars[0][0]).toBeCloseTo(0.25, 2);
    expect(() => explain.renderBarChartSvg([1, 2], ['a'])).toThrow(/expected 2 feature names/);
  });
});
