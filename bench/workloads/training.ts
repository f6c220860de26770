import * as nn from '../../src/index.js';
import { seededData, seededLabels } from '../data.js';
import { tf, TF, usePeer } from '../peers.js';
import { median, seconds } from '../stats.js';
import { Workload } from '../workload.js';
import { usePath } from '../paths.js';
import { torchRunner } from '../torch.js';

/** A training (or inference) workload described once, built for both libraries. */
export interface ModelSpec {
  id: string;
  title: string;
  samples: number;
  batchSize: number;
  /** One sample's shape. */
  sampleShape: number[];
  /** The model's name in bench/torch_peer.py. */
  torch: 'mlp' | 'cnn' | 'rnn' | 'seed';
  neurite(): nn.Sequential;
  tfjs(tfm: TF): import('@tensorflow/tfjs').Sequential;
}

function dataFor(spec: ModelSpec) {
  const features = spec.sampleShape.reduce((a, b) => a * b, 1);
  const x = seededData(spec.samples * features, `${spec.id}-x`);
  const y = seededLabels(x, spec.samples, `${spec.id}-w`);
  return { x, y, shape: [spec.samples, ...spec.sampleShape] };
}

/** Samples per second of one epoch of `fit` (after one warm-up epoch), median of `trials`. */
export function trainWorkload(spec: ModelSpec, trials = 3, { wasm = true }: { wasm?: boolean } = {}): Workload {
  return {
    id: spec.id,
    title: spec.title,
    unit: 'samples/s',
    higherIsBetter: true,
    async setup() {
      const { x, y, shape } = dataFor(spec);
      const neurite = async () =>
        usePath('neurite', async () => {
          nn.setSeed(1);
          const model = spec.neurite();
          model.compile({ optimizer: new nn.Adam({ learningRate: 1e-3 }), loss: 'binary_crossentropy' });
          const xs = nn.tensor(x, shape);
          const ys = nn.tensor(y, [spec.samples, 1]);
          const fit = () => model.fit(xs, ys, { epochs: 1, batchSize: spec.batchSize, verbose: 0, shuffle: true });
          await fit();
          const times: number[] = [];
          for (let t = 0; t < trials; t++) times.push(await seconds(fit));
          return spec.samples / median(times);
        });
      const peer = (name: 'tfjs-cpu' | 'tfjs-wasm') => async () => {
        if (!(await usePeer(name))) return NaN;
        const model = spec.tfjs(tf);
        model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
        const xs = tf.tensor(x, shape);
        const ys = tf.tensor(y, [spec.samples, 1]);
        try {
          const fit = () => model.fit(xs, ys, { epochs: 1, batchSize: spec.batchSize, verbose: 0, shuffle: true });
          await fit();
          const times: number[] = [];
          for (let t = 0; t < trials; t++) times.push(await seconds(fit));
          return spec.samples / median(times);
        } catch {
          return NaN; // e.g. TF.js wasm has no gradient kernels for some ops
        } finally {
          xs.dispose();
          ys.dispose();
          model.dispose();
        }
      };
      const pytorch = torchRunner({ kind: 'train', model: spec.torch, x, y, shape, batch: spec.batchSize, trials });
      return { neurite, 'tfjs-cpu': peer('tfjs-cpu'), ...(wasm ? { 'tfjs-wasm': peer('tfjs-wasm') } : {}), pytorch };
    },
  };
}

/** Samples per second of `predict` over all samples (after one warm-up call), median of `trials`. */
export function predictWorkload(spec: ModelSpec, trials = 3): Workload {
  return {
    id: spec.id,
    title: spec.title,
    unit: 'samples/s',
    higherIsBetter: true,
    async setup() {
      const { x, shape } = dataFor(spec);
      const neurite = async () =>
        usePath('neurite', async () => {
          nn.setSeed(1);
          const model = spec.neurite();
          const xs = nn.tensor(x, shape);
          const run = () => model.predict(xs, { batchSize: spec.batchSize });
          run();
          const times: number[] = [];
          for (let t = 0; t < trials; t++) times.push(await seconds(run));
          return spec.samples / median(times);
        });
      const peer = (name: 'tfjs-cpu' | 'tfjs-wasm') => async () => {
        if (!(await usePeer(name))) return NaN;
        const model = spec.tfjs(tf);
        const xs = tf.tensor(x, shape);
        const run = () => {
          const y = model.predict(xs, { batchSize: spec.batchSize }) as import('@tensorflow/tfjs').Tensor;
          y.dataSync();
          y.dispose();
        };
        run();
        const times: number[] = [];
        for (let t = 0; t < trials; t++) times.push(await seconds(run));
        xs.dispose();
        model.dispose();
        return spec.samples / median(times);
      };
      const pytorch = torchRunner({ kind: 'predict', model: spec.torch, x, shape, batch: spec.batchSize, trials });
      return { neurite, 'tfjs-cpu': peer('tfjs-cpu'), 'tfjs-wasm': peer('tfjs-wasm'), pytorch };
    },
  };
}
