import { describe, expect, it } from 'vitest';
import { slice } from '../../../src/ops/slice.js';
import { Dense } from '../../../src/layers/dense.js';
import { GRU } from '../../../src/layers/rnn/gru.js';
import { LSTM } from '../../../src/layers/rnn/lstm.js';
import { SimpleRNN } from '../../../src/layers/rnn/simple-rnn.js';
import { Bidirectional, MergeMode } from '../../../src/layers/rnn/bidirectional.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf, expectRelClose } from '../tf-compare.js';
import { loopReference } from './reference-loop.js';
import { compareMultiWithTf, lengthMask } from './tf-multi.js';

const x = seededTensor([3, 4, 5], 1);

describe('Bidirectional', () => {
  it('passes the layer harness: forward weights then backward weights, named after each direction', () => {
    const bi = new Bidirectional(new LSTM(3, { name: 'enc' }), { name: 'bi' });
    checkLayer(bi, x, [[5, 12], [3, 12], [12], [5, 12], [3, 12], [12]]);
    expect(bi.namedWeights().map((w) => w.name)).toEqual([
      'forward_enc/kernel', 'forward_enc/recurrent_kernel', 'forward_enc/bias', 'backward_enc/kernel', 'backward_enc/recurrent_kernel', 'backward_enc/bias',
    ]);
    expect(bi.backwardLayer.goBackwards).toBe(true);
    checkLayer(new Bidirectional(new GRU(2, { returnSequences: true }), { mergeMode: 'sum' }), x, [[5, 6], [2, 6], [2, 6], [5, 6], [2, 6], [2, 6]]);
  });

  it('equals TF.js forward and gradients for every merge mode (last output and sequences)', async () => {
    const tf = await tfCpu();
    for (const [k, mergeMode] of (['concat', 'sum', 'mul', 'ave'] as MergeMode[]).entries()) {
      for (const returnSequences of [false, true]) {
        const ours = new Bidirectional(new LSTM(3, { returnSequences }), { mergeMode });
        const theirs = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences, recurrentActivation: 'sigmoid' }) as never, mergeMode: mergeMode as 'concat' });
        await compareWithTf(ours, theirs, seededTensor([2, 4, 5], 10 + k));
      }
    }
    const gru = new Bidirectional(new GRU(2, { resetAfter: false, returnSequences: true }), { mergeMode: 'concat' });
    await compareWithTf(gru, tf.layers.bidirectional({ layer: tf.layers.gru({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' }) as never }), x);
  });

  it('mergeMode null returns both directions; returnState adds forward then backward states; initial states split in halves (vs TF.js)', async () => {
    const tf = await tfCpu();
    const tfLstm = (o: Record<string, unknown>) => tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', ...o }) as never;
    await compareMultiWithTf(new Bidirectional(new LSTM(3, { returnSequences: true }), { mergeMode: null }), tf.layers.bidirectional({ layer: tfLstm({ returnSequences: true }), mergeMode: null as never }), x);
    const states = [0, 1, 2, 3].map((k) => seededTensor([3, 3], 60 + k));
    const ys = await compareMultiWithTf(
      new Bidirectional(new LSTM(3, { returnState: true }), { mergeMode: 'concat' }),
      tf.layers.bidirectional({ layer: tfLstm({ returnState: true }) }),
      x,
      { initialState: states },
    );
    expect(ys.map((y) => [...y.shape])).toEqual([[3, 6], [3, 3], [3, 3], [3, 3], [3, 3]]);
    await compareMultiWithTf(
      new Bidirectional(new SimpleRNN(2, { returnState: true, returnSequences: true }), { mergeMode: null }),
      tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 2, returnState: true, returnSequences: true }) as never, mergeMode: null as never }),
      x,
    );
  });

  it('with a mask: the last output equals TF.js; sequences are zero at masked steps and equal the unpadded run elsewhere (Keras)', async () => {
    const tf = await tfCpu();
    const mask = lengthMask([4, 2, 3], 4);
    await compareMultiWithTf(new Bidirectional(new GRU(3, { resetAfter: false })), tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid' }) as never }), x, { mask });
    const bi = new Bidirectional(new LSTM(2, { returnSequences: true }), { mergeMode: 'concat' });
    bi.ensureBuilt([...x.shape]);
    bi.setWeights(bi.getWeights().map((w, k) => seededTensor([...w.shape], 70 + k, -0.6, 0.6)));
    const y = bi.apply(x, { mask });
    [4, 2, 3].forEach((n, b) => {
      const alone = bi.apply(slice(x, [b, 0, 0], [1, n, 5]));
      for (let t = 0; t < 4; t++) {
        const got = Array.from(y.data.slice((b * 4 + t) * 4, (b * 4 + t + 1) * 4));
        expectClose(got, t < n ? Array.from(alone.data.slice(t * 4, (t + 1) * 4)) : [0, 0, 0, 0], { rtol: 1e-5, atol: 1e-6 });
      }
    });
    expect(bi.computeMask(x, mask)).toBe(mask);
    expect(new Bidirectional(new LSTM(2)).computeMask(x, mask)).toBeNull();
    expect(new Bidirectional(new LSTM(2, { returnSequences: true }), { mergeMode: null }).computeMask(x, mask)).toEqual([mask, mask]);
  });

  it('takes a backwardLayer and initial weights as Keras; passes finite differences', () => {
    const backwardLayer = new GRU(2, { goBackwards: true, resetAfter: true, name: 'back' });
    const bi = new Bidirectional(new GRU(2), { backwardLayer, mergeMode: 'ave' });
    bi.ensureBuilt([...x.shape]);
    expect(bi.backwardLayer).toBe(backwardLayer);
    bi.setWeights(bi.getWeights().map((w, k) => seededTensor([...w.shape], 80 + k, -0.6, 0.6)));
    const [fw, bw] = [bi.getWeights().slice(0, 3), bi.getWeights().slice(3)];
    const f = loopReference(x, fw, { kind: 'gru', units: 2, resetAfter: true });
    const r = loopReference(x, bw, { kind: 'gru', units: 2, resetAfter: true, goBackwards: true });
    expectRelClose(bi.apply(x).data, f.output.map((v, i) => (v + r.output[i]) / 2), 1e-4, 'ave of the two references');
    const config = bi.getConfig();
    expect((config.backward_layer as { config: { name: string } }).config.name).toBe('back');
    const twin = layerFromConfig('Bidirectional', { ...config, name: 'bi_twin' }) as Bidirectional;
    expect(twin.backwardLayer.name).toBe('back');
    const shapes = [[5, 2], [2, 2], [2]];
    const weights = [0, 1, 2, 3, 4, 5].map((k) => seededTensor(shapes[k % 3], k));
    const seeded = new Bidirectional(new SimpleRNN(2), { weights });
    seeded.ensureBuilt([...x.shape]);
    expect(Array.from(seeded.getWeights()[3].data)).toEqual(Array.from(seededTensor([5, 2], 3).data));
    gradcheckLayer(new Bidirectional(new LSTM(2, { returnSequences: true, biasInitializer: 'random_normal' }), { mergeMode: 'mul' }), seededTensor([2, 3, 2], 9));
  });

  it('reads the config TF.js writes and writes one TF.js reads (layer sub-config, merge_mode)', async () => {
    const tf = await tfCpu();
    const theirs = tf.layers.bidirectional({ layer: tf.layers.gru({ units: 2, returnSequences: true }) as never, mergeMode: 'sum', inputShape: [4, 5] });
    const model = tf.sequential({ layers: [theirs] });
    const json = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const spec = json.config.layers[0];
    const ours = layerFromConfig(spec.class_name, spec.config) as Bidirectional;
    expect(ours.mergeMode).toBe('sum');
    expect(ours.forwardLayer.className).toBe('GRU');
    expect(ours.forwardLayer.name).toBe(`forward_${(spec.config.layer as { config: { name: string } }).config.name}`);
    expect(ours.getConfig()).toEqual(spec.config);
    ours.ensureBuilt([2, 4, 5]);
    ours.setWeights(ours.getWeights().map((w, k) => seededTensor([...w.shape], 90 + k, -0.5, 0.5)));
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
    const xs = seededTensor([2, 4, 5], 3);
    expectRelClose(ours.apply(xs).data, (theirs.apply(tf.tensor(Array.from(xs.data), [2, 4, 5])) as ReturnType<typeof tf.zeros>).dataSync(), 1e-4, 'TF.js-config twin');
    const keras = { ...spec.config, layer: { ...(spec.config.layer as object), config: { ...(spec.config.layer as { config: object }).config, name: 'forward_gru_k' } } };
    expect((layerFromConfig('Bidirectional', keras) as Bidirectional).forwardLayer.name).toBe('forward_gru_k');
  });

  it('stateful: both directions carry their states and resetStates resets both; states also come as extra inputs', () => {
    const bi = new Bidirectional(new SimpleRNN(2, { stateful: true }), { mergeMode: 'concat' });
    const first = bi.apply(x);
    const second = bi.apply(x);
    expect(Array.from(second.data)).not.toEqual(Array.from(first.data));
    bi.resetStates();
    expect(Array.from(bi.apply(x).data)).toEqual(Array.from(first.data));
    const zeros = [seededTensor([3, 2], 1, 0, 0), seededTensor([3, 2], 1, 0, 0)];
    bi.resetStates(zeros);
    expect(Array.from(bi.apply(x).data)).toEqual(Array.from(first.data));
    const plain = new Bidirectional(new GRU(2));
    const s = [seededTensor([3, 2], 4), seededTensor([3, 2], 5)];
    expect(Array.from(plain.apply([x, ...s]).data)).toEqual(Array.from(plain.apply(x, { initialState: s }).data));
  });

  it('refuses what Keras refuses, naming the layer', () => {
    expectErrorMentioning(() => new Bidirectional(new Dense(2) as never, { name: 'bd' }), ValueError, 'bd (Bidirectional)', 'recurrent layer', 'dense');
    expectErrorMentioning(() => new Bidirectional(new LSTM(2), { mergeMode: 'max' as never }), ValueError, 'mergeMode', 'max');
    expectErrorMentioning(() => new Bidirectional(new LSTM(2), { backwardLayer: new LSTM(2) }), ValueError, 'goBackwards');
    expectErrorMentioning(() => new Bidirectional(new LSTM(2), { backwardLayer: new LSTM(2, { goBackwards: true, returnSequences: true }) }), ValueError, 'returnSequences');
    expectErrorMentioning(() => new Bidirectional(new LSTM(2), { merge: 'sum' } as never), ValueError, "unknown option 'merge'");
    expectErrorMentioning(() => new Bidirectional(new LSTM(2)).apply(x, { initialState: [seededTensor([3, 2], 1)] }), ValueError, 'expected 4 initial states');
  });
});
