import { describe, expect, it } from 'vitest';
import { Dense } from '../../../src/layers/dense.js';
import { GRU } from '../../../src/layers/rnn/gru.js';
import { GRUCell } from '../../../src/layers/rnn/gru-cell.js';
import { LSTM } from '../../../src/layers/rnn/lstm.js';
import { LSTMCell } from '../../../src/layers/rnn/lstm-cell.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { SimpleRNN } from '../../../src/layers/rnn/simple-rnn.js';
import { SimpleRNNCell } from '../../../src/layers/rnn/simple-rnn-cell.js';
import { Bidirectional } from '../../../src/layers/rnn/bidirectional.js';
import { StackedRNNCells } from '../../../src/layers/rnn/stacked-rnn-cells.js';
import { TimeDistributed } from '../../../src/layers/rnn/time-distributed.js';
import { ValueError } from '../../../src/util/errors.js';
import { expectErrorMentioning } from '../harness.js';

describe('recurrent layers refuse unknown options', () => {
  it('names the constructor and the key, and lists the known ones', () => {
    const bad = { dropuot: 0.2 } as never;
    // Each constructor, and one key its message must list as known.
    const makers: [string, string, () => unknown][] = [
      ['SimpleRNN', 'dropout', () => new SimpleRNN(2, bad)],
      ['LSTM', 'recurrentDropout', () => new LSTM(2, bad)],
      ['GRU', 'resetAfter', () => new GRU(2, bad)],
      ['SimpleRNNCell', 'dropout', () => new SimpleRNNCell(2, bad)],
      ['LSTMCell', 'unitForgetBias', () => new LSTMCell(2, bad)],
      ['GRUCell', 'resetAfter', () => new GRUCell(2, bad)],
      ['RNN', 'returnState', () => new RNN(new LSTMCell(2), bad)],
      ['StackedRNNCells', 'name', () => new StackedRNNCells([new LSTMCell(2)], bad)],
      ['Bidirectional', 'mergeMode', () => new Bidirectional(new LSTM(2), bad)],
      ['TimeDistributed', 'inputShape', () => new TimeDistributed(new Dense(2), bad)],
    ];
    for (const [name, known, make] of makers) expectErrorMentioning(make, ValueError, `${name}: unknown option 'dropuot'`, `'${known}'`);
  });

  it('refuses options of another cell kind (resetAfter on an LSTM, unitForgetBias on a GRU, recurrentActivation on a SimpleRNN)', () => {
    expectErrorMentioning(() => new LSTM(2, { resetAfter: true } as never), ValueError, "LSTM: unknown option 'resetAfter'");
    expectErrorMentioning(() => new GRU(2, { unitForgetBias: true } as never), ValueError, "GRU: unknown option 'unitForgetBias'");
    expectErrorMentioning(() => new SimpleRNN(2, { recurrentActivation: 'sigmoid' } as never), ValueError, "SimpleRNN: unknown option 'recurrentActivation'");
    // Every documented option is accepted (undefined values too, as when options are spread).
    const lstm = new LSTM(2, {
      returnSequences: true, returnState: false, goBackwards: false, stateful: false, unroll: false, dropout: 0.1, recurrentDropout: 0.1, seed: 1,
      implementation: 2, activation: 'tanh', recurrentActivation: 'sigmoid', unitForgetBias: true, useBias: true, name: undefined,
    });
    expect(lstm.returnSequences).toBe(true);
  });
});
