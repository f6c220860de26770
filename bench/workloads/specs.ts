import * as nn from '../../src/index.js';
import type { TF } from '../peers.js';
import { ModelSpec } from './training.js';

/** W2 / W5: MLP 784 → 256 relu → 128 relu → 1 sigmoid. */
export function mlpSpec(id: string, title: string, samples: number, batchSize: number): ModelSpec {
  return {
    id,
    title,
    samples,
    batchSize,
    sampleShape: [784],
    torch: 'mlp',
    neurite: () =>
      new nn.Sequential([
        new nn.Dense(256, { activation: 'relu', inputShape: [784] }),
        new nn.Dense(128, { activation: 'relu' }),
        new nn.Dense(1, { activation: 'sigmoid' }),
      ]),
    tfjs: (tf: TF) =>
      tf.sequential({
        layers: [
          tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
          tf.layers.dense({ units: 128, activation: 'relu' }),
          tf.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      }),
  };
}

/** W3: side×side×1 → Conv2D 8 3×3 relu → MaxPool 2 → Conv2D 16 3×3 relu → MaxPool 2 → Flatten → Dense 1 sigmoid. */
export function cnnSpecFor(side: number, samples: number, batchSize: number, title = `train CNN ${side}×${side} (batch ${batchSize}, ${samples} samples)`): ModelSpec {
  return {
    id: 'W3',
    title,
    samples,
    batchSize,
    sampleShape: [side, side, 1],
    torch: 'cnn',
    neurite: () =>
      new nn.Sequential([
        new nn.Conv2D(8, 3, { activation: 'relu', inputShape: [side, side, 1] }),
        new nn.MaxPooling2D({ poolSize: 2 }),
        new nn.Conv2D(16, 3, { activation: 'relu' }),
        new nn.MaxPooling2D({ poolSize: 2 }),
        new nn.Flatten(),
        new nn.Dense(1, { activation: 'sigmoid' }),
      ]),
    tfjs: (tf: TF) =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [side, side, 1] }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      }),
  };
}

/** W3 as benchmarked: 28×28, batch 32, 1024 samples. */
export const cnnSpec: ModelSpec = cnnSpecFor(28, 1024, 32);

/** W4: SimpleRNN 32 over `steps` steps × 8 features → Dense 1 sigmoid. */
export function rnnSpecFor(steps: number, samples: number, batchSize: number, title = `train SimpleRNN 32, ${steps}×8 (batch ${batchSize}, ${samples} samples)`): ModelSpec {
  return {
    id: 'W4',
    title,
    samples,
    batchSize,
    sampleShape: [steps, 8],
    torch: 'rnn',
    neurite: () => new nn.Sequential([new nn.SimpleRNN(32, { inputShape: [steps, 8] }), new nn.Dense(1, { activation: 'sigmoid' })]),
    tfjs: (tf: TF) =>
      tf.sequential({
        layers: [tf.layers.simpleRNN({ units: 32, inputShape: [steps, 8] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
      }),
  };
}

/** W4 as benchmarked: 50 steps, batch 32, 1024 samples. */
export const rnnSpec: ModelSpec = rnnSpecFor(50, 1024, 32);

/** W6: the seed example, Dense(1, sigmoid) on 100×2. */
export const seedSpec: ModelSpec = {
  id: 'W6',
  title: 'seed example: Dense(1) on 100×2, 100 epochs',
  samples: 100,
  batchSize: 32,
  sampleShape: [2],
  torch: 'seed',
  neurite: () => new nn.Sequential([new nn.Dense(1, { activation: 'sigmoid', inputShape: [2] })]),
  tfjs: (tf: TF) => tf.sequential({ layers: [tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] }),
};
