import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { Tensor } from '../../../src/tensor/tensor.js';
import { backward } from '../../../src/autograd/backward.js';
import { noGrad } from '../../../src/autograd/record.js';
import { GRU } from '../../../src/layers/rnn/gru.js';
import { LSTM } from '../../../src/layers/rnn/lstm.js';
import { SimpleRNN } from '../../../src/layers/rnn/simple-rnn.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { RecurrentCell } from '../../../src/layers/rnn/cell.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { ValueError } from '../../../src/util/errors.js';
import { seededTensor } from '../../helpers/seeded.js';
import { expectErrorMentioning, weightedSum } from '../harness.js';
import { expectClose } from '../../helpers/close.js';
import { expectRelClose } from '../tf-compare.js';
import { expectedMasks, loopReference } from './reference-loop.js';

type Kind = 'simple' | 'lstm' | 'gru';
interface Case { kind: Kind; dropout?: number; recurrentDropout?: number; implementation?: 1 | 2; resetAfter?: boolean; returnSequences?: boolean }

function makeLayer(c: Case, seed: number): RNN {
  const common = { dropout: c.dropout, recurrentDropout: c.recurrentDropout, seed, returnSequences: c.returnSequences };
  if (c.kind === 'simple') return new SimpleRNN(3, common);
  if (c.kind === 'lstm') return new LSTM(3, { ...common, implementation: c.implementation });
  return new GRU(3, { ...common, implementation: c.implementation, resetAfter: c.resetAfter });
}

function randomized(layer: RNN, shape: number[], seed: number): void {
  layer.ensureBuilt(shape);
  layer.setWeights(layer.getWeights().map((w, k) => seededTensor([...w.shape], seed + k, -0.7, 0.7)));
}

describe('RNN dropout (Keras 3 per-sequence masks)', () => {
  it('equals a float64 reference using the masks a fixed seed draws (inputs first, one per gate with recurrent dropout or implementation 1)', () => {
    const cases: Case[] = [
      { kind: 'simple', dropout: 0.3 },
      { kind: 'simple', dropout: 0.3, recurrentDropout: 0.4, returnSequences: true },
      { kind: 'lstm', dropout: 0.3 },
      { kind: 'lstm', recurrentDropout: 0.4 },
      { kind: 'lstm', dropout: 0.3, recurrentDropout: 0.4, returnSequences: true },
      { kind: 'lstm', dropout: 0.3, implementation: 1 },
      { kind: 'gru', dropout: 0.3 },
      { kind: 'gru', dropout: 0.3, recurrentDropout: 0.4, returnSequences: true },
      { kind: 'gru', dropout: 0.2, recurrentDropout: 0.5, resetAfter: false },
      { kind: 'gru', recurrentDropout: 0.5, implementation: 1, resetAfter: false },
    ];
    const x = seededTensor([4, 5, 3], 1);
    for (const [k, c] of cases.entries()) {
      const seed = 40 + k;
      const layer = makeLayer(c, seed);
      randomized(layer, [...x.shape], 10 * k);
      const gates = c.kind === 'simple' ? 1 : c.kind === 'lstm' ? 4 : 3;
      const count = c.implementation === 1 || (c.recurrentDropout ?? 0) > 0 ? gates : 1;
      const rng = seedrandom(String(seed));
      // Two calls: each draws fresh masks from the cell's stream, and each must match.
      for (let call = 0; call < 2; call++) {
        const inputMasks = c.dropout ? expectedMasks(rng, count, 4, 3, c.dropout) : null;
        const recurrentMasks = c.recurrentDropout ? expectedMasks(rng, count, 4, 3, c.recurrentDropout) : null;
        const expected = loopReference(x, layer.getWeights(), {
          kind: c.kind, units: 3, resetAfter: c.resetAfter ?? true, returnSequences: c.returnSequences, inputMasks, recurrentMasks,
        });
        expectRelClose(layer.apply(x, { training: true }).data, expected.output, 1e-4, `${JSON.stringify(c)} call ${call}`);
      }
    }
  });

  it('is off in inference: the output equals the same layer without dropout', () => {
    const x = seededTensor([2, 4, 3], 2);
    for (const kind of ['simple', 'lstm', 'gru'] as Kind[]) {
      const noisy = makeLayer({ kind, dropout: 0.5, recurrentDropout: 0.5 }, 1);
      randomized(noisy, [...x.shape], 5);
      const expected = loopReference(x, noisy.getWeights(), { kind, units: 3, resetAfter: true });
      expectRelClose(noisy.apply(x).data, expected.output, 1e-4, kind);
      expect(Array.from(noisy.apply(x, { training: true }).data)).not.toEqual(Array.from(noisy.apply(x).data));
    }
  });

  it('masks have Keras statistics: a fraction `rate` of zeros, survivors scaled by 1/(1 − rate), fresh each call', () => {
    const lstm = new LSTM(50, { dropout: 0.3, recurrentDropout: 0.6, seed: 3 });
    lstm.ensureBuilt([200, 2, 40]);
    const cell = lstm.cell as RecurrentCell;
    const first = cell.drawMasks(200, 40, true);
    expect(first.input!.length).toBe(4);
    expect(first.recurrent!.length).toBe(4);
    for (const [masks, rate, width] of [[first.input!, 0.3, 40], [first.recurrent!, 0.6, 50]] as const) {
      for (const m of masks) {
        expect(m.shape).toEqual([200, width]);
        const zeros = m.data.filter((v) => v === 0).length / m.size;
        // 8000+ Bernoulli draws: the standard error is below 0.006, so 0.03 is over 5 of them.
        expect(Math.abs(zeros - rate)).toBeLessThan(0.03);
        expect(m.data.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6)).toBe(true);
      }
      expect(Array.from(masks[0].data)).not.toEqual(Array.from(masks[1].data));
    }
    expect(Array.from(cell.drawMasks(200, 40, true).input![0].data)).not.toEqual(Array.from(first.input![0].data));
    // One mask for all gates without recurrent dropout (Keras 3's implementation 2); none outside training.
    const single = new GRU(4, { dropout: 0.5 });
    single.ensureBuilt([2, 3, 5]);
    expect((single.cell as RecurrentCell).drawMasks(2, 5, true).input!.length).toBe(1);
    expect((single.cell as RecurrentCell).drawMasks(2, 5, false)).toEqual({ input: null, recurrent: null });
  });

  it('round-trips dropout, recurrent_dropout, seed and implementation through the config; refuses bad rates', () => {
    const lstm = new LSTM(2, { dropout: 0.25, recurrentDropout: 0.5, seed: 9, implementation: 1 });
    const config = lstm.getConfig();
    expect(config).toMatchObject({ dropout: 0.25, recurrent_dropout: 0.5, seed: 9, implementation: 1 });
    const twin = layerFromConfig('LSTM', config) as LSTM;
    expect(twin.cell.dropout).toBe(0.25);
    expect(twin.cell.recurrentDropout).toBe(0.5);
    expect(twin.getConfig()).toEqual(config);
    expectErrorMentioning(() => new LSTM(2, { dropout: 1 }), ValueError, 'dropout', '[0, 1)', '1');
    expectErrorMentioning(() => new GRU(2, { recurrentDropout: -0.1 }), ValueError, 'recurrentDropout', '-0.1');
    expectErrorMentioning(() => new SimpleRNN(2, { seed: 1.5 }), ValueError, 'seed', '1.5');
    expectErrorMentioning(() => new GRU(2, { implementation: 3 as never }), ValueError, 'implementation', '3');
  });
});

describe('RNN dropout gradients', () => {
  it('backward() through the masks equals central differences (a fresh layer per evaluation draws the same masks)', () => {
    const x = seededTensor([2, 3, 2], 3);
    for (const kind of ['lstm', 'gru', 'simple'] as Kind[]) {
      const make = (): RNN => {
        const layer = makeLayer({ kind, dropout: 0.4, recurrentDropout: 0.4, returnSequences: true }, 21);
        randomized(layer, [...x.shape], 7);
        return layer;
      };
      const probe = seededTensor([2, 3, 3], 4).data;
      const reduce = (layer: RNN, input: Tensor): number => {
        const y = noGrad(() => layer.apply(input, { training: true }));
        let s = 0;
        for (let i = 0; i < y.size; i++) s += probe[i] * y.data[i];
        return s;
      };
      const layer = make();
      const leaf = new Tensor(Float32Array.from(x.data), x.shape);
      leaf.requiresGrad = true;
      backward(weightedSum(layer.apply(leaf, { training: true }), probe));
      const targets: [string, number, Float32Array][] = [['input', -1, leaf.grad!.data], ...layer.trainableWeights.map((w, k): [string, number, Float32Array] => [`weight ${k}`, k, w.grad!.data])];
      for (const [what, k, analytic] of targets) {
        const size = analytic.length;
        const numeric = new Float64Array(size);
        for (let i = 0; i < size; i++) {
          const at = (delta: number): number => {
            const fresh = make();
            const input = new Tensor(Float32Array.from(x.data), x.shape);
            const target = k < 0 ? input : fresh.trainableWeights[k];
            target.data[i] += delta;
            return reduce(fresh, input);
          };
          numeric[i] = (at(1e-2) - at(-1e-2)) / 2e-2;
        }
        try {
          expectClose(analytic, numeric, { rtol: 2e-2, atol: 2e-3 });
        } catch (e) {
          throw new Error(`${kind} ${what}: ${(e as Error).message}`);
        }
      }
    }
  });
});
