import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainTestSplit } from '../../src/data/split.js';
import { featureStats, Normalization, standardize } from '../../src/data/normalization.js';
import { readCsv } from '../../src/data/read-csv.js';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/util/random.js';

describe('trainTestSplit', () => {
  // Sample i is [i, 10 i]; 60 of class 0 then 40 of class 1.
  const x = Array.from({ length: 100 }, (_, i) => [i, 10 * i]);
  const y = x.map((_, i) => (i < 60 ? 0 : 1));

  it('stratified: each class cut at testSize, every sample in exactly one part, x and y kept together', () => {
    const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.25, seed: 3 });
    expect((xTest as number[][]).length).toBe(25);
    expect((yTest as number[]).filter((v) => v === 1)).toHaveLength(10);
    expect((yTrain as number[]).filter((v) => v === 1)).toHaveLength(30);
    const ids = [...(xTrain as number[][]), ...(xTest as number[][])].map((r) => r[0]).sort((a, b) => a - b);
    expect(ids).toEqual(x.map((r) => r[0]));
    (xTest as number[][]).forEach((r, k) => expect((yTest as number[])[k]).toBe(r[0] < 60 ? 0 : 1));
  });

  it('seeded: the same seed gives the same split; under setSeed the default stream is reproducible too', () => {
    const a = trainTestSplit(x, y, { seed: 'a' }).xTest;
    expect(trainTestSplit(x, y, { seed: 'a' }).xTest).toEqual(a);
    expect(trainTestSplit(x, y, { seed: 'b' }).xTest).not.toEqual(a);
    setSeed(11);
    const first = trainTestSplit(x, y).xTest;
    setSeed(11);
    expect(trainTestSplit(x, y).xTest).toEqual(first);
  });

  it('tensors in, tensors out; one-hot labels stratify by class; bad input is refused', () => {
    const xt = tensor(x);
    const yt = tensor(y.map((c) => (c === 0 ? [1, 0] : [0, 1])));
    const { xTest, yTest } = trainTestSplit(xt, yt, { testSize: 0.2, seed: 1 });
    expect(xTest).toBeInstanceOf(Tensor);
    expect((xTest as Tensor).shape).toEqual([20, 2]);
    const yRows = (yTest as Tensor).toArray() as number[][];
    expect(yRows.filter((r) => r[1] === 1)).toHaveLength(8);
    ((xTest as Tensor).toArray() as number[][]).forEach((r, k) => expect(yRows[k][1]).toBe(r[0] < 60 ? 0 : 1));
    expect(() => trainTestSplit(x, y.slice(1))).toThrow(/x has 100 samples, y has 99/);
    expect(() => trainTestSplit(x, y, { testSize: 1 })).toThrow(/testSize must be a number in \(0, 1\)/);
    expect(() => trainTestSplit(x, y, { test_size: 0.2 } as never)).toThrow(/unknown option 'test_size'/);
  });
});

describe('Normalization and standardize', () => {
  const rows = [[1, 10, -2], [3, 10, 0], [5, 10, 8]];
  // By hand: means 3, 10, 2; population variances 8/3, 0, (16 + 4 + 36) / 3 = 56/3.
  it('adapt learns mean and population variance; apply gives (x − μ) / max(σ, 1e-7)', () => {
    const norm = new Normalization().adapt(rows);
    expect(norm.mean).toEqual([3, 10, 2]);
    expect(norm.variance[0]).toBeCloseTo(8 / 3, 12);
    expect(norm.variance[1]).toBe(0);
    expect(norm.variance[2]).toBeCloseTo(56 / 3, 12);
    const z = norm.apply([[1, 10, 2], [7, 11, -5]]);
    expect(z[0][0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 12);
    expect(z[0][1]).toBe(0);
    expect(z[1][1]).toBeCloseTo(1 / 1e-7, 0);
    expect(z[1][2]).toBeCloseTo(-7 / Math.sqrt(56 / 3), 12);
  });

  it('tensors of any rank normalize along the last axis; invert restores; standardize returns the stats', () => {
    const t = tensor([[[1, 10, -2]], [[3, 10, 0]], [[5, 10, 8]]]);
    const norm = new Normalization().adapt(t);
    expect(norm.mean).toEqual([3, 10, 2]);
    const z = norm.apply(t);
    expect(z.shape).toEqual([3, 1, 3]);
    const back = new Normalization({ mean: norm.mean, variance: norm.variance, invert: true }).apply(z);
    Array.from(back.data).forEach((v, i) => expect(v).toBeCloseTo(t.data[i], 5));
    const { values, mean, variance } = standardize(rows);
    expect(mean).toEqual([3, 10, 2]);
    expect(values[2][2]).toBeCloseTo(6 / Math.sqrt(56 / 3), 12);
    expect(standardize([[3, 10, 2]], { mean, variance }).values).toEqual([[0, 0, 0]]);
    expect(featureStats(rows).variance[1]).toBe(0);
  });

  it('refuses ragged rows, a wrong feature count and apply before adapt', () => {
    expect(() => new Normalization().adapt([[1, 2], [3]])).toThrow(/row 1 has 1 values, expected 2/);
    expect(() => new Normalization().adapt(rows).apply([[1, 2]])).toThrow(/expected 3 features/);
    expect(() => new Normalization().apply([[1]])).toThrow(/call adapt/);
    expect(() => new Normalization({ mean: [0] })).toThrow(/both mean and variance/);
  });
});

describe('readCsv', () => {
  it('reads a header and numeric rows; names the line and column of a bad cell', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-csv-'));
    try {
      const good = join(dir, 'good.csv');
      writeFileSync(good, 'label,a,b\r\n1,0.5,-2\n\n0,1e3,7\n');
      expect(readCsv(good)).toEqual({ columns: ['label', 'a', 'b'], rows: [[1, 0.5, -2], [0, 1000, 7]] });
      const semi = join(dir, 'semi.csv');
      writeFileSync(semi, '1;2\n3;4\n');
      expect(readCsv(semi, { delimiter: ';', header: false })).toEqual({ columns: ['0', '1'], rows: [[1, 2], [3, 4]] });
      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, 'a,b\n1,2\n3,x\n');
      expect(() => readCsv(bad)).toThrow(/bad\.csv:3: column 'b' is not a number: "x"/);
      writeFileSync(bad, 'a,b\n1,2,3\n');
      expect(() => readCsv(bad)).toThrow(/bad\.csv:2: expected 2 cells, found 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
