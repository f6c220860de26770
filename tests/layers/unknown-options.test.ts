import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/util/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { Activation } from '../../src/layers/activation.js';
import { Flatten } from '../../src/layers/flatten.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { Input } from '../../src/layers/input-layer.js';
import { tensor } from '../../src/tensor/creation.js';

describe('layer constructors refuse options they do not know, naming the option and the known ones', () => {
  it('misspelt or foreign options throw instead of being ignored', () => {
    expect(() => new Dense(3, { kernelRegulariser: 'l2' } as never)).toThrow(/Dense: unknown option 'kernelRegulariser'; .*'name', 'inputShape', 'batchInputShape', 'trainable'/);
    expect(() => new MaxPooling2D({ poolsize: 2 } as never)).toThrow(ValueError);
    expect(() => new Activation('relu', { alpha: 1 } as never)).toThrow(/unknown option 'alpha'/);
    expect(() => new Flatten({ units: 2 } as never)).toThrow(/unknown option 'units'/);
    expect(() => new LSTM(4, { recurrentDropuot: 0.2 } as never)).toThrow(/unknown option 'recurrentDropuot'/);
  });

  it('apply refuses options it does not know, and a fixed training flag on symbolic inputs', () => {
    const d = new Dense(2);
    expect(() => d.apply(tensor([[1, 2]]), { trainnig: true } as never)).toThrow(/apply: unknown option 'trainnig'/);
    expect(() => d.apply(Input({ shape: [2] }), { training: true } as never)).toThrow(/'training' cannot be fixed on a symbolic call/);
  });

  it('undefined values are fine (spread partial options)', () => {
    expect(() => new Dense(3, { name: undefined, useBias: undefined })).not.toThrow();
  });
});
