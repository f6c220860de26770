import { afterEach, describe, expect, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { add } from '../../../src/ops/arithmetic.js';
import { backward } from '../../../src/autograd/backward.js';
import { GRU, GRUOptions } from '../../../src/layers/rnn/gru.js';
import { LSTM, LSTMOptions } from '../../../src/layers/rnn/lstm.js';
import { SimpleRNN, SimpleRNNOptions } from '../../../src/layers/rnn/simple-rnn.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { SimpleRNNCell } from '../../../src/layers/rnn/simple-rnn-cell.js';
import { LSTMCell } from '../../../src/layers/rnn/lstm-cell.js';
import { Bidirectional } from '../../../src/layers/rnn/bidirectional.js';
import { Layer } from '../../../src/layers/layer.js';
import { setRNNFusion } from '../../../src/layers/rnn/fused.js';
import { Dense } from '../../../src/layers/dense.js';
import { Sequential } from '../../../src/models/sequential.js';
import { Adam } from '../../../src/optimizers/adam.js';
import { setSeed } from '../../../src/util/random.js';
import { expectClose } from '../../helpers/close.js';
import { seededArray, seededTensor } from '../../helpers/seeded.js';
import { weightedSum } from '../harness.js';

type Kind = 'simple' | 'lstm' | 'gru' | 'gru-before';
type Options = SimpleRNNOptions & LSTMOptions & GRUOptions;

function make(kind: Kind, options: Options): RNN {
  if (kind === 'simple') {
    const { recurrentActivation, implementation, ...rest } = options;
    void recurrentActivation;
    void implementation;
    return new SimpleRNN(3, rest);
  }
  if (kind === 'lstm') return new LSTM(3, options);
  return new GRU(3, { ...options, resetAfter: kind === 'gru' });
}

interface Run {
  values: Float32Array[];
  grads: Float32Array[];
  ops: string[];
}

const leaf = (t: Tensor): Tensor => {
  const l = new Tensor(Float32Array.from(t.data), t.shape);
  l.requiresGrad = true;
  return l;
};

/**
 * One forward and backward pass of a fresh layer from `build` (fixed seeded weights): the outputs,
 * the gradients of x, every weight and the initial states under a weighted sum of all outputs, and
 * the op that made each output (to see which path ran).
 */
function run(build: () => Layer, x: Tensor, { fused, mask, initial, training = false, calls = 1 }: { fused: boolean; mask?: Tensor; initial?: Tensor[]; training?: boolean; calls?: number }): Run {
  setRNNFusion(fused);
  const layer = build();
  layer.ensureBuilt([...x.shape]);
  layer.setWeights(layer.getWeights().map((w, k) => seededTensor([...w.shape], 30 + k, -0.8, 0.8)));
  let result: Run = { values: [], grads: [], ops: [] };
  for (let call = 0; call < calls; call++) {
    const input = leaf(x);
    const states = initial?.map(leaf);
    const outputs = layer.applyMulti(input, { training, ...(mask ? { mask } : {}), ...(states ? { initialState: states } : {}) });
    let loss: Tensor | null = null;
    outputs.forEach((y, k) => {
      const term = weightedSum(y, seededArray(y.size, 50 + k));
      loss = loss === null ? term : add(loss, term);
    });
    for (const w of layer.trainableWeights) w.grad = null;
    backward(loss!);
    result = {
      values: outputs.map((y) => Float32Array.from(y.data)),
      // No gradient reached (every step masked on the graph path) counts as zeros.
      grads: [input, ...layer.trainableWeights, ...(states ?? [])].map((t) => Float32Array.from(t.grad?.data ?? new Float32Array(t.size))),
      ops: outputs.map((y) => y.node?.op ?? 'none'),
    };
  }
  return result;
}

/**
 * The fused path equals the per-step graph to float32 rounding: the same products and roundings, but
 * tanh within one ulp of the op's (a rational fit, not Math.tanh), and gradients summed in another order.
 */
function expectSame(build: () => Layer, x: Tensor, options: { mask?: Tensor; initial?: Tensor[]; training?: boolean; calls?: number } = {}, what = ''): Run {
  const fused = run(build, x, { ...options, fused: true });
  const graph = run(build, x, { ...options, fused: false });
  expect(graph.ops.some((op) => op.startsWith('recurrence')), `${what}: the graph path ran the fused op`).toBe(false);
  fused.values.forEach((v, k) => {
    try {
      expectClose(v, graph.values[k], { rtol: 1e-6, atol: 1e-7 });
    } catch (e) {
      throw new Error(`${what} output ${k}: ${(e as Error).message}`);
    }
  });
  expect(fused.grads.length).toBe(graph.grads.length);
  fused.grads.forEach((g, k) => {
    try {
      expectClose(g, graph.grads[k], { rtol: 1e-5, atol: 1e-6 });
    } catch (e) {
      throw new Error(`${what} gradient ${k}: ${(e as Error).message}`);
    }
  });
  return fused;
}

const x = seededTensor([4, 6, 5], 1);
const kinds: Kind[] = ['simple', 'lstm', 'gru', 'gru-before'];
/** Sample 0 keeps all steps, 1 drops its first two, 2 drops every other, 3 drops all but the fourth. */
const stepMask = new Tensor(Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0]), [4, 6]);
const statesOf = (kind: Kind): Tensor[] => (kind === 'lstm' ? [seededTensor([4, 3], 7), seededTensor([4, 3], 8)] : [seededTensor([4, 3], 7)]);

afterEach(() => setRNNFusion(true));

describe('fused RNN op against the per-step graph', () => {
  it('runs the fused op for SimpleRNN, LSTM and GRU (both reset placements) by default', () => {
    for (const kind of kinds) {
      const r = run(() => make(kind, {}), x, { fused: true });
      expect(r.ops, kind).toEqual(['recurrence']);
    }
  });

  it('equals it for the last output, every step, goBackwards and unroll', () => {
    const variants: Options[] = [{}, { returnSequences: true }, { goBackwards: true }, { returnSequences: true, goBackwards: true, unroll: true }];
    for (const kind of kinds) for (const v of variants) expectSame(() => make(kind, v), x, {}, `${kind} ${JSON.stringify(v)}`);
  });

  it('equals it under a step mask (states kept, previous or zero outputs), forwards and backwards', () => {
    const variants: Options[] = [{}, { returnSequences: true }, { returnSequences: true, zeroOutputForMask: true }, { goBackwards: true, returnSequences: true }, { goBackwards: true, zeroOutputForMask: true }];
    for (const kind of kinds) for (const v of variants) expectSame(() => make(kind, v), x, { mask: stepMask }, `${kind} mask ${JSON.stringify(v)}`);
  });

  it('equals it with initial states and returnState (gradients through the final states and into the initial ones)', () => {
    for (const kind of kinds) {
      for (const v of [{ returnState: true }, { returnState: true, returnSequences: true, goBackwards: true }] as Options[]) {
        const r = expectSame(() => make(kind, v), x, { initial: statesOf(kind), mask: stepMask }, `${kind} ${JSON.stringify(v)}`);
        expect(r.values.length).toBe(kind === 'lstm' ? 3 : 2);
      }
      expectSame(() => make(kind, {}), x, { initial: statesOf(kind) }, `${kind} initial state only`);
    }
  });

  it('equals it with seeded dropout and recurrent dropout (masks fixed per sequence), implementation 1 and 2', () => {
    const variants: Options[] = [
      { dropout: 0.3 },
      { recurrentDropout: 0.4 },
      { dropout: 0.3, recurrentDropout: 0.4, returnSequences: true },
      { dropout: 0.3, implementation: 1 },
    ];
    for (const kind of kinds) {
      for (const v of variants) expectSame(() => make(kind, { ...v, seed: 5 }), x, { training: true, mask: stepMask }, `${kind} ${JSON.stringify(v)}`);
    }
  });

  it('equals it at the edges: one step, one unit, one sample, every step masked', () => {
    const oneStep = seededTensor([3, 1, 2], 12);
    const oneSample = seededTensor([1, 5, 2], 13);
    const allMasked = new Tensor(new Float32Array(4 * 6), [4, 6]);
    for (const kind of kinds) {
      expectSame(() => make(kind, { returnSequences: true, goBackwards: true }), oneStep, {}, `${kind} one step`);
      expectSame(() => make(kind, { returnState: true }), oneSample, { initial: statesOf(kind).map((t) => seededTensor([1, 3], 14)) }, `${kind} one sample`);
      expectSame(() => make(kind, { returnSequences: true, returnState: true }), x, { mask: allMasked, initial: statesOf(kind) }, `${kind} all masked`);
    }
    expectSame(() => new LSTM(1, { returnSequences: true }), x, { mask: stepMask }, 'LSTM one unit');
    expectSame(() => new GRU(1, { resetAfter: false, recurrentDropout: 0.5, seed: 2 }), x, { training: true }, 'GRU one unit');
  });

  it('equals it for the other fused activations and without biases', () => {
    const variants: Options[] = [
      { activation: 'relu', recurrentActivation: 'hard_sigmoid' },
      { activation: 'sigmoid', recurrentActivation: 'tanh' },
      { activation: 'linear', useBias: false },
      { activation: 'hardSigmoid', recurrentActivation: 'relu', useBias: false },
    ];
    for (const kind of kinds) for (const v of variants) expectSame(() => make(kind, { ...v, returnSequences: true }), x, { mask: stepMask }, `${kind} ${JSON.stringify(v)}`);
  });

  it('equals it when stateful (the second call starts from the first call\'s states)', () => {
    for (const kind of kinds) {
      expectSame(() => make(kind, { stateful: true, batchInputShape: [4, 6, 5] }), x, { calls: 2 }, `${kind} stateful`);
    }
  });

  it('equals it inside Bidirectional, with a mask, every merge mode', () => {
    for (const kind of kinds) {
      for (const mergeMode of ['concat', 'sum', null] as const) {
        expectSame(() => new Bidirectional(make(kind, { returnSequences: true }), { mergeMode }), x, { mask: stepMask }, `${kind} bidirectional ${mergeMode}`);
      }
    }
  });

  it('equals it inside Bidirectional with returnState and both directions\' initial states', () => {
    for (const kind of kinds) {
      const states = [...statesOf(kind), ...statesOf(kind).map((t) => seededTensor([...t.shape], 9))];
      const r = expectSame(() => new Bidirectional(make(kind, { returnSequences: true, returnState: true })), x, { mask: stepMask, initial: states }, `${kind} bidirectional returnState`);
      expect(r.values.length).toBe(1 + states.length);
    }
  });

  it('trains the same: a fit with fused layers follows the per-step graph\'s losses', async () => {
    const losses = async (fused: boolean): Promise<number[]> => {
      setRNNFusion(fused);
      setSeed(3);
      const model = new Sequential([
        new Bidirectional(new LSTM(4, { returnSequences: true, dropout: 0.1, recurrentDropout: 0.1 }), { inputShape: [6, 5] }),
        new GRU(3, { resetAfter: false, returnSequences: true }),
        new SimpleRNN(2),
        new Dense(1, { activation: 'sigmoid' }),
      ]);
      model.compile({ optimizer: new Adam({ learningRate: 0.02 }), loss: 'binary_crossentropy' });
      const labels = new Tensor(Float32Array.from({ length: 4 }, (_, i) => i % 2), [4, 1]);
      const history = await model.fit(x, labels, { epochs: 5, batchSize: 2, verbose: 0 });
      return history.history.loss;
    };
    const fused = await losses(true);
    expectClose(fused, await losses(false), { rtol: 1e-4, atol: 1e-6 });
  });

  it('falls back to the per-step graph for other activations, stacked cells and subclassed cells', () => {
    for (const kind of kinds) {
      const r = run(() => make(kind, { activation: 'softsign', returnSequences: true }), x, { fused: true });
      expect(r.ops, kind).not.toEqual(['recurrence']);
    }
    expect(run(() => new LSTM(3, { recurrentActivation: 'swish' }), x, { fused: true }).ops).not.toEqual(['recurrence']);
    expect(run(() => new RNN([new SimpleRNNCell(3), new LSTMCell(3)]), x, { fused: true }).ops).not.toEqual(['recurrence']);
    class Doubled extends SimpleRNNCell {
      override stepper(masks: Tensor[] | null = null) {
        const step = super.stepper(masks);
        return (xt: Tensor, states: Tensor[]) => {
          const r = step(xt, states);
          const y = add(r.output, r.output);
          return { output: y, states: [y] };
        };
      }
    }
    expect(run(() => new RNN(new Doubled(3)), x, { fused: true }).ops).not.toEqual(['recurrence']);
  });
});
