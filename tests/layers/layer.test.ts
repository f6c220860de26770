import { describe, expect, it } from 'vitest';
import { Layer, Shape, toSnakeCase, uniqueName } from '../../src/layers/layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/creation.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { seededTensor } from '../helpers/seeded.js';

/** A minimal layer: y = x · scale, one weight of shape [last dim]. */
class Scale extends Layer {
  readonly className = 'Scale';
  scale: Tensor | null = null;
  constructor(options = {}) {
    super(options, 'Scale');
  }
  override build(inputShape: Shape): void {
    this.scale = this.addWeight('scale', [inputShape[inputShape.length - 1] as number], 'ones');
  }
  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }
  call(x: Tensor): Tensor {
    return x;
  }
}

describe('Layer base', () => {
  it('names layers per class as Keras does: base, base_1, base_2', () => {
    const base = `probe_${Date.now()}`;
    expect([uniqueName(base), uniqueName(base), uniqueName(base)]).toEqual([base, `${base}_1`, `${base}_2`]);
    expect(toSnakeCase('MaxPooling2D')).toBe('max_pooling2d');
    expect(toSnakeCase('SimpleRNN')).toBe('simple_rnn');
    expect(toSnakeCase('LSTM')).toBe('lstm');
    const a = new Scale();
    const b = new Scale();
    expect(a.name).not.toBe(b.name);
    expect(b.name.startsWith('scale')).toBe(true);
  });

  it('builds on first apply, and ensureBuilt builds from a shape with an unknown batch', () => {
    const s = new Scale();
    expect(s.built).toBe(false);
    expect(s.outputShape).toBeNull();
    s.ensureBuilt([null, 3]);
    expect(s.built).toBe(true);
    expect(s.getWeights()[0].shape).toEqual([3]);
    expect(s.outputShape).toEqual([null, 3]);
  });

  it('getWeights returns copies; trainableWeights the live variables', () => {
    const s = new Scale();
    s.apply(tensor([[1, 2]]));
    s.getWeights()[0].data[0] = 42;
    expect(s.trainableWeights[0].data[0]).toBe(1);
    s.trainableWeights[0].data[0] = 7;
    expect(s.getWeights()[0].data[0]).toBe(7);
    expect(s.trainableWeights[0].requiresGrad).toBe(true);
  });

  it('trainable = false empties trainableWeights and keeps the weights', () => {
    const s = new Scale({ trainable: false });
    s.apply(tensor([[1, 2]]));
    expect(s.trainableWeights).toEqual([]);
    expect(s.nonTrainableWeights.length).toBe(1);
    expect(s.countParams()).toBe(2);
  });

  it('countParams and setWeights refuse an unbuilt layer, naming it', () => {
    const s = new Scale({ name: 'unbuilt' });
    expect(() => s.countParams()).toThrow(/unbuilt \(Scale\).*not built/);
    expect(() => s.setWeights([])).toThrow(NeuriteError);
  });

  it('setWeights validates every shape before writing any', () => {
    const d = new Dense(2, { name: 'sw' });
    d.apply(seededTensor([1, 3], 1));
    const before = d.getWeights();
    expect(() => d.setWeights([seededTensor([3, 2], 5), tensor([1, 2, 3])])).toThrow(ShapeError);
    expect(Array.from(d.getWeights()[0].data)).toEqual(Array.from(before[0].data));
  });

  it('getConfig writes name and trainable, plus batch_input_shape and dtype only when declared (as TF.js)', () => {
    expect(new Scale({ name: 'plain' }).getConfig()).toEqual({ name: 'plain', trainable: true });
    expect(new Scale({ name: 'decl', inputShape: [4] }).getConfig()).toEqual({
      name: 'decl',
      trainable: true,
      batch_input_shape: [null, 4],
      dtype: 'float32',
    });
  });

  it('refuses bad options', () => {
    expect(() => new Scale({ name: '' })).toThrow(ValueError);
    expect(() => new Scale({ inputShape: [0] })).toThrow(/inputShape/);
    expect(() => new Scale({ trainable: 'yes' })).toThrow(/trainable/);
    expect(() => new Scale().apply([1, 2] as never)).toThrow(/expected a Tensor/);
  });
});
