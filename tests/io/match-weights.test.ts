import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { NeuriteError, ShapeError } from '../../src/util/errors.js';
import { matchWeights } from '../../src/io/match-weights.js';

const t = (shape: number[], v = 0) => new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(v), shape);

describe('matchWeights', () => {
  it('pairs targets with saved weights by name, whatever the file order', () => {
    const saved = [
      { name: 'b/bias', tensor: t([2], 2) },
      { name: 'a/kernel', tensor: t([3, 2], 1) },
    ];
    const out = matchWeights([{ name: 'a/kernel', shape: [3, 2] }, { name: 'b/bias', shape: [2] }], saved, 'f');
    expect(out).toEqual([saved[1].tensor, saved[0].tensor]);
  });

  it("reads Keras's layer/cell/weight names (TF >= 2.2 RNNs) for layer/weight targets", () => {
    const saved = [
      { name: 'lstm/lstm_cell/kernel', tensor: t([2, 8]) },
      { name: 'lstm/lstm_cell/recurrent_kernel', tensor: t([2, 8]) },
      { name: 'lstm/lstm_cell/bias', tensor: t([8]) },
    ];
    const targets = [
      { name: 'lstm/kernel', shape: [2, 8] },
      { name: 'lstm/recurrent_kernel', shape: [2, 8] },
      { name: 'lstm/bias', shape: [8] },
    ];
    expect(matchWeights(targets, saved, 'f')).toEqual(saved.map((w) => w.tensor));
  });

  it('lists every missing, extra and mis-shaped weight at once', () => {
    const saved = [
      { name: 'a/kernel', tensor: t([3, 2]) },
      { name: 'z/kernel', tensor: t([1]) },
    ];
    const f = () => matchWeights([{ name: 'a/kernel', shape: [3, 4] }, { name: 'a/bias', shape: [4] }], saved, 'm.bin');
    expect(f).toThrow(NeuriteError);
    expect(f).toThrow(
      "m.bin: the saved weights do not fit the model (missing from the file: 'a/bias' [4]; in the file but not in the model: 'z/kernel' [1]; " +
        "wrong shape: 'a/kernel' is [3, 2] in the file, the model needs [3, 4]); the model was not changed",
    );
  });

  it('raises a ShapeError when only shapes differ', () => {
    expect(() => matchWeights([{ name: 'a', shape: [2] }], [{ name: 'a', tensor: t([3]) }], 'f')).toThrow(ShapeError);
  });
});
