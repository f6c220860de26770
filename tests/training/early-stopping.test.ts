import { describe, expect, it, vi } from 'vitest';
import { EarlyStopping } from '../../src/training/early-stopping.js';
import { fit } from '../../src/training/fit.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { resolveCompile } from '../../src/training/compile.js';
import { ValueError } from '../../src/util/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Trainable } from '../../src/training/trainable.js';
import { LinearModel, seedData } from './linear-model.js';

/** A model whose single weight is set to the epoch index before each epoch end, so restores are visible. */
function fakeModel(): Trainable & { value: number } {
  return {
    value: 0,
    stopTraining: false,
    inputNames: ['x'],
    outputNames: ['y'],
    forward: () => {
      throw new Error('not used');
    },
    trainableWeights: [],
    getWeights() {
      return [new Tensor(Float32Array.of(this.value), [1])];
    },
    setWeights(w: readonly Tensor[]) {
      this.value = w[0].data[0];
    },
  };
}

/** Feeds `values` of the monitored key epoch by epoch until the callback stops; returns the epochs run. */
function drive(cb: EarlyStopping, model: ReturnType<typeof fakeModel>, values: number[], key = 'val_loss'): number {
  cb.setModel(model);
  cb.onTrainBegin();
  let epoch = 0;
  for (; epoch < values.length; epoch++) {
    model.value = epoch;
    cb.onEpochEnd(epoch, { [key]: values[epoch] });
    if (model.stopTraining) break;
  }
  cb.onTrainEnd();
  return Math.min(epoch + 1, values.length);
}

describe('EarlyStopping', () => {
  it('patience 0 stops at the first epoch without improvement (never at epoch 0)', () => {
    const model = fakeModel();
    const cb = new EarlyStopping();
    expect(drive(cb, model, [1, 0.8, 0.9, 0.5])).toBe(3);
    expect(cb.stoppedEpoch).toBe(2);
    expect(cb.best).toBe(0.8);
  });

  it('patience n waits n epochs after the last improvement', () => {
    const model = fakeModel();
    // Best at epoch 1; epochs 2, 3, 4 do not improve; wait reaches 3 at epoch 4.
    expect(drive(new EarlyStopping({ patience: 3 }), model, [1, 0.5, 0.6, 0.55, 0.7, 0.1])).toBe(5);
    expect(drive(new EarlyStopping({ patience: 3 }), fakeModel(), [1, 0.5, 0.6, 0.4, 0.7, 0.8, 0.9])).toBe(7);
  });

  it('minDelta: a change smaller than it is no improvement (either sign given)', () => {
    expect(drive(new EarlyStopping({ minDelta: 0.1 }), fakeModel(), [1, 0.95, 0.5])).toBe(2);
    expect(drive(new EarlyStopping({ minDelta: -0.1 }), fakeModel(), [1, 0.95, 0.5])).toBe(2);
  });

  it("mode 'auto' maximizes accuracy-like keys and minimizes losses; 'max' / 'min' force it", () => {
    expect(new EarlyStopping({ monitor: 'val_accuracy' }).mode).toBe('max');
    expect(new EarlyStopping({ monitor: 'auc' }).mode).toBe('max');
    expect(new EarlyStopping({ monitor: 'loss' }).mode).toBe('min');
    expect(drive(new EarlyStopping({ monitor: 'val_accuracy' }), fakeModel(), [0.5, 0.6, 0.55], 'val_accuracy')).toBe(3);
    expect(drive(new EarlyStopping({ monitor: 'score', mode: 'max' }), fakeModel(), [0.5, 0.6, 0.7], 'score')).toBe(3);
    expect(() => new EarlyStopping({ monitor: 'score' })).toThrow(/pass mode: 'min' or mode: 'max'/);
  });

  it('restoreBestWeights puts back the weights of the best epoch at the end', () => {
    const model = fakeModel();
    drive(new EarlyStopping({ patience: 2, restoreBestWeights: true }), model, [1, 0.3, 0.5, 0.6, 0.1]);
    expect(model.value).toBe(1);
    const untouched = fakeModel();
    drive(new EarlyStopping({ patience: 2 }), untouched, [1, 0.3, 0.5, 0.6]);
    expect(untouched.value).toBe(3);
  });

  it('baseline: the counter resets only when the value also beats the baseline', () => {
    // Baseline 0.5: 0.9 and 0.8 improve but do not beat it, so the wait is 2 after epoch 1 and the first
    // epoch without improvement (2) stops. Baseline 0.95: both reset the wait, so patience 2 runs to epoch 3.
    const values = [0.9, 0.8, 0.85, 0.85, 0.85];
    expect(drive(new EarlyStopping({ patience: 2, baseline: 0.5 }), fakeModel(), values)).toBe(3);
    expect(drive(new EarlyStopping({ patience: 2, baseline: 0.95 }), fakeModel(), values)).toBe(4);
    expect(drive(new EarlyStopping({ patience: 2 }), fakeModel(), values)).toBe(4);
    // An improvement never stops training, even below the baseline (Keras).
    expect(drive(new EarlyStopping({ patience: 1, baseline: 0.1 }), fakeModel(), [0.9, 0.8, 0.7, 0.6])).toBe(4);
  });

  it('startFromEpoch ignores the warm-up epochs; a missing key changes nothing but warns once', () => {
    expect(drive(new EarlyStopping({ startFromEpoch: 2 }), fakeModel(), [0.1, 0.9, 1, 2])).toBe(4);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(drive(new EarlyStopping(), fakeModel(), [1, 2, 3], 'loss')).toBe(3);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/'val_loss' is not in the epoch logs \(available: loss\)/);
    } finally {
      warn.mockRestore();
    }
  });

  it('NaN is never an improvement', () => {
    expect(drive(new EarlyStopping(), fakeModel(), [1, NaN])).toBe(2);
  });

  it('validates its options', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ValueError);
    expect(() => new EarlyStopping({ patience: 1.5 })).toThrow(/patience/);
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow(/mode/);
    expect(() => new EarlyStopping({ minDelta: NaN })).toThrow(/minDelta/);
  });

  it('inside fit: stops training and restores the best weights', async () => {
    const { x, y } = seedData(40);
    const model = new LinearModel(2, { w: [0, 0], activation: 'linear' });
    // With a learning rate far above 2/λmax, SGD diverges on MSE, so the loss rises and training stops.
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    let bestWeights: number[] = [];
    let best = Infinity;
    let lastWeights: number[] = [];
    const tracker = { onEpochEnd: (_e: number, logs?: Record<string, number>) => {
      lastWeights = Array.from(model.w.data);
      if (logs!.loss < best) {
        best = logs!.loss;
        bestWeights = Array.from(model.w.data);
      }
    } };
    const history = await fit(model, resolveCompile({ optimizer: new SGD({ learningRate: 4 }), loss: 'mse' }), x, y,
      { epochs: 50, batchSize: 40, verbose: 0, callbacks: [tracker, stopper], shuffle: false }, {
        write: () => {}, isTTY: false, clock: () => 0 });
    expect(stopper.stoppedEpoch).toBeGreaterThan(0);
    expect(history.epoch).toHaveLength(stopper.stoppedEpoch + 1);
    expect(lastWeights).not.toEqual(bestWeights);
    expect(Array.from(model.w.data)).toEqual(bestWeights);
  });
});
