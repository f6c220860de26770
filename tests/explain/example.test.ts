import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainBreastCancer } from '../../examples/explain-breast-cancer.js';
import { explainCnn } from '../../examples/explain-cnn.js';
import { decodePng } from '../helpers/png.js';

describe('examples/explain-breast-cancer.ts', () => {
  it('runs to completion (few epochs, few coalitions) and writes four SVG charts with the feature names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-explain-example-'));
    try {
      const r = await explainBreastCancer({ epochs: 1, nsamples: 200, outDir: dir, verbose: 0 });
      expect(r.names).toHaveLength(30);
      const sum = Array.from(r.shap.shapValues.data).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (r.shap.fx[0] - r.shap.expectedValue))).toBeLessThan(1e-4); // efficiency
      expect(r.files).toHaveLength(4);
      for (const f of r.files) expect(readFileSync(f, 'utf8')).toContain('radius_mean');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});

describe('examples/explain-cnn.ts', () => {
  it('runs to completion and writes a saliency and a Grad-CAM PNG per image, 8× enlarged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-explain-cnn-'));
    try {
      const { files } = await explainCnn({ epochs: 1, samples: 64, images: 1, outDir: dir, verbose: 0 });
      expect(files).toHaveLength(2);
      for (const f of files) {
        const png = decodePng(readFileSync(f));
        expect([png.width, png.height]).toEqual([128, 128]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
