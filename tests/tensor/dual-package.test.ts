// Two copies of neurite in one process (an app that imports the ESM build while a dependency requires the
// CJS one): a tensor made by one copy must be accepted by the other. The second copy is the library
// bundled to CommonJS on the fly, so nothing is shared with the first but the global symbol registry.
import { afterAll, describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isTensor, Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/creation.js';
import { add } from '../../src/ops/arithmetic.js';

const dir = mkdtempSync(join(tmpdir(), 'neurite-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function otherCopy(): typeof import('../../src/index.js') {
  const outfile = join(dir, 'neurite.cjs');
  buildSync({ entryPoints: [resolve(__dirname, '../../src/index.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  return createRequire(import.meta.url)(outfile);
}

describe('tensors across copies of the library', () => {
  const other = otherCopy();

  it('the copies are distinct classes, yet each recognises the other copy\'s tensors', () => {
    expect(other.Tensor).not.toBe(Tensor);
    const mine = tensor([[1, 2]]);
    const theirs = other.tensor([[3, 4]]);
    expect(mine instanceof other.Tensor).toBe(true);
    expect(theirs instanceof Tensor).toBe(true);
    expect(other.isTensor(mine) && isTensor(theirs)).toBe(true);
    expect(isTensor({ shape: [1], data: new Float32Array(1) })).toBe(false);
    expect({} instanceof Tensor).toBe(false);
    expect((null as unknown as object) instanceof Tensor).toBe(false);
  });

  it('a model from the other copy predicts and trains on this copy\'s tensors; ops mix both', async () => {
    other.setSeed(7);
    const model = new other.Sequential([new other.Dense(1, { inputShape: [2], activation: 'sigmoid' })]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    const x = tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);
    const y = tensor([[1], [0], [1], [0]]);
    const history = await model.fit(x, y, { epochs: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    const out = model.predict(x);
    expect(out.shape).toEqual([4, 1]);
    // sigmoid(x·w + b) from the model's own weights, computed here in float64.
    const [w, b] = model.getWeights().map((t: { data: Float32Array }) => t.data);
    const rows = [[0, 1], [1, 0], [1, 1], [0, 0]];
    rows.forEach(([a, c], i) => expect(out.data[i]).toBeCloseTo(1 / (1 + Math.exp(-(a * w[0] + c * w[1] + b[0]))), 6));
    expect(Array.from(add(other.tensor([1, 2]), tensor([10, 20])).data)).toEqual([11, 22]);
  });

  it('a subclass keeps the ordinary instanceof', () => {
    class Marked extends Tensor {}
    const m = new Marked(new Float32Array(1), [1]);
    expect(m instanceof Marked).toBe(true);
    expect(m instanceof Tensor).toBe(true);
    expect(tensor([1]) instanceof Marked).toBe(false);
  });
});
