import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

describe('package root exports', () => {
  it('internal helpers are not exported (uniqueName, toSnakeCase), also not through the layers namespace', () => {
    for (const name of ['uniqueName', 'toSnakeCase']) {
      expect(name in root).toBe(false);
      expect(name in root.layers).toBe(false);
    }
  });

  it('the new public names are there', () => {
    for (const name of ['isTensor', 'plotHistory', 'plotConfusionMatrix', 'plotRoc', 'plotModel', 'trainTestSplit', 'Normalization', 'standardize', 'readCsv', 'rocCurve', 'confusionMatrix', 'exportOnnx', 'toOnnx', 'OnnxExportError']) {
      expect(typeof (root as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
