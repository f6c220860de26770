import { describe, expect, it } from 'vitest';
import {
  computeFans,
  constantInitializer,
  getInitializer,
  identityInitializer,
  initializerIds,
  orthogonal,
  randomUniformInitializer,
  truncatedNormalInitializer,
  varianceScaling,
} from '../../src/initializers/initializers.js';
import { setSeed } from '../../src/util/random.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';

function stats(data: Float32Array): { mean: number; std: number; maxAbs: number } {
  let s = 0;
  let maxAbs = 0;
  for (const v of data) {
    s += v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = s / data.length;
  let q = 0;
  for (const v of data) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / data.length), maxAbs };
}

describe('computeFans', () => {
  it('follows Keras: dense [in, out], conv [kh, kw, in, out] times the receptive field', () => {
    expect(computeFans([7, 5])).toEqual({ fanIn: 7, fanOut: 5 });
    expect(computeFans([3, 2, 4, 6])).toEqual({ fanIn: 24, fanOut: 36 });
    expect(computeFans([9])).toEqual({ fanIn: 9, fanOut: 9 });
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
  });
});

describe('variance scaling family (statistics on 60,000 draws)', () => {
  const shape = [200, 300];
  it('glorot_uniform stays within ±sqrt(6/(in+out)) with the uniform variance limit²/3', () => {
    const limit = Math.sqrt(6 / 500);
    const { mean, std, maxAbs } = stats(getInitializer('glorot_uniform')(shape).data);
    expect(maxAbs).toBeLessThanOrEqual(limit);
    expect(maxAbs).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(mean)).toBeLessThan(0.01 * limit);
    expect(std).toBeCloseTo(limit / Math.sqrt(3), 3);
  });

  it('glorot_normal has stddev sqrt(2/(in+out)) after truncation at 2σ', () => {
    const target = Math.sqrt(2 / 500);
    const { std, maxAbs } = stats(getInitializer('glorotNormal')(shape).data);
    expect(Math.abs(std / target - 1)).toBeLessThan(0.02);
    expect(maxAbs).toBeLessThanOrEqual((2 * target) / 0.87962566103423978 + 1e-7);
  });

  it('he_normal / he_uniform / lecun_uniform scale by fan_in', () => {
    expect(Math.abs(stats(getInitializer('he_normal')(shape).data).std / Math.sqrt(2 / 200) - 1)).toBeLessThan(0.02);
    expect(stats(getInitializer('he_uniform')(shape).data).maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 200));
    expect(stats(getInitializer('lecun_uniform')(shape).data).maxAbs).toBeLessThanOrEqual(Math.sqrt(3 / 200));
    expect(Math.abs(stats(getInitializer('lecun_normal')(shape).data).std / Math.sqrt(1 / 200) - 1)).toBeLessThan(0.02);
  });

  it('untruncated_normal and fan_out modes', () => {
    const { std, maxAbs } = stats(varianceScaling(3, 'fan_out', 'untruncated_normal', 1)(shape).data);
    expect(Math.abs(std / Math.sqrt(3 / 300) - 1)).toBeLessThan(0.02);
    // An untruncated normal of 60,000 draws reaches beyond 2.5σ.
    expect(maxAbs).toBeGreaterThan(2.5 * Math.sqrt(3 / 300));
  });

  it('refuses a non-positive scale', () => {
    expect(() => varianceScaling(0, 'fan_in', 'uniform')).toThrow(ValueError);
  });
});

describe('orthogonal', () => {
  function gram(data: Float32Array, rows: number, cols: number, byColumns: boolean): number[] {
    const n = byColumns ? cols : rows;
    const out: number[] = [];
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let s = 0;
        const len = byColumns ? rows : cols;
        for (let k = 0; k < len; k++) {
          s += byColumns ? data[k * cols + a] * data[k * cols + b] : data[a * cols + k] * data[b * cols + k];
        }
        out.push(s);
      }
    }
    return out;
  }
  const eye = (n: number): number[] => Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0));

  it('tall: QᵀQ = I', () => {
    expectClose(gram(orthogonal()([7, 4]).data, 7, 4, true), eye(4), { atol: 1e-5 });
  });
  it('wide: QQᵀ = I', () => {
    expectClose(gram(orthogonal()([3, 8]).data, 3, 8, false), eye(3), { atol: 1e-5 });
  });
  it('conv-shaped kernels flatten to [prod(shape[:-1]), last]', () => {
    expectClose(gram(orthogonal()([2, 2, 3, 5]).data, 12, 5, true), eye(5), { atol: 1e-5 });
  });
  it('gain scales the matrix: QᵀQ = gain²·I', () => {
    expectClose(gram(orthogonal(2)([5, 5]).data, 5, 5, true), eye(5).map((v) => 4 * v), { atol: 1e-4 });
  });
  it('needs rank >= 2', () => {
    expect(() => orthogonal()([4])).toThrow(/rank >= 2/);
  });
});

describe('simple initializers', () => {
  it('zeros, ones, constant, identity', () => {
    expect(Array.from(getInitializer('zeros')([2, 2]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(getInitializer('ones')([3]).data)).toEqual([1, 1, 1]);
    expect(Array.from(constantInitializer(0.5)([2]).data)).toEqual([0.5, 0.5]);
    expect(Array.from(identityInitializer(2)([2, 3]).data)).toEqual([2, 0, 0, 0, 2, 0]);
    expect(() => identityInitializer()([2, 2, 2])).toThrow(/rank-2/);
  });

  it('random_uniform and truncated_normal respect their bounds', () => {
    const u = stats(randomUniformInitializer({ minval: 1, maxval: 3, seed: 2 })([10000]).data);
    expect(u.mean).toBeCloseTo(2, 1);
    const t = truncatedNormalInitializer({ mean: 0, stddev: 0.5, seed: 3 })([10000]).data;
    expect(stats(t).maxAbs).toBeLessThanOrEqual(1 + 1e-6);
    expect(() => randomUniformInitializer({ minval: 2, maxval: 1 })).toThrow(ValueError);
  });
});

describe('randomness', () => {
  it('the same seed gives the same values; another seed others', () => {
    const a = varianceScaling(1, 'fan_avg', 'uniform', 42)([4, 4]).data;
    const b = varianceScaling(1, 'fan_avg', 'uniform', 42)([4, 4]).data;
    const c = varianceScaling(1, 'fan_avg', 'uniform', 43)([4, 4]).data;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('unseeded initializers are reproducible under setSeed and differ between calls', () => {
    for (const id of initializerIds.filter((i) => !['zeros', 'ones', 'identity'].includes(i))) {
      setSeed(9);
      const first = getInitializer(id)([3, 3]).data;
      const second = getInitializer(id)([3, 3]).data;
      setSeed(9);
      const again = getInitializer(id)([3, 3]).data;
      expect(Array.from(again), id).toEqual(Array.from(first));
      expect(Array.from(second), id).not.toEqual(Array.from(first));
    }
  });

  it('unknown ids list the valid ones', () => {
    expect(() => getInitializer('glorot_uniformm')).toThrow(/glorot_uniform, glorot_normal/);
    expect(() => getInitializer('glorot_uniformm')).toThrow(ValueError);
  });

  it('accepts TF.js camelCase ids', () => {
    setSeed(1);
    const a = getInitializer('leCunNormal')([3, 3]).data;
    setSeed(1);
    const b = getInitializer('lecun_normal')([3, 3]).data;
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
