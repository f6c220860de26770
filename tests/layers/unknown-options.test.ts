import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/util/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { Activation } from '../../src/layers/activation.js';
import { Flatten } from '../../src/layers/flatten.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';

describe('layer constructors refuse options they do not know, naming the option and the known ones', () => {
  it('misspelt or foreign options throw instead of being ignored', () => {
    expect(() => new Dense(3, { kernelRegulariser: 'l2' } as never)).toThrow(/Dense: unknown option 'kernelRegulariser'; .*'name', 'inputShape', 'batchInputShape', 'trainable'/);
    expect(() => new MaxPooling2D({ poolsize: 2 } as never)).toThrow(ValueError);
    expect(() => new Activation('relu', { alpha: 1 } as never)).toThrow(/unknown option 'alpha'/);
    expect(() => new Flatten({ units: 2 } as never)).toThrow(/unknown option 'units'/);
    expect(() => new LSTM(4, { recurrentDropuot: 0.2 } as never)).toThrow(/unknown option 'recurrentDropuot'/);
  });

  it('undefined values are fine (spread partial options)', () => {
    expect(() => new Dense(3, { name: undefined, useBias: undefined })).not.toThrow();
  });
});
