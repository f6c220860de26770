import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainBreastCancer } from '../../examples/explain-breast-cancer.js';

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
