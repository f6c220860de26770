import * as nn from '../../src/index.js';
import { seededData, seededLabels } from '../data.js';
import { tf, usePeer } from '../peers.js';
import { median, seconds } from '../stats.js';
import { Workload } from '../workload.js';
import { usePath } from '../paths.js';
import { seedSpec } from './specs.js';
import { torchRunner } from '../torch.js';

/** W6: seconds for `fit` of the seed example (100 epochs, batch 32, adam), median of three after a warm-up. */
export const seedExampleWorkload: Workload = {
  id: 'W6',
  title: seedSpec.title,
  unit: 's',
  higherIsBetter: false,
  async setup() {
    const x = seededData(200, 'W6-x');
    const y = seededLabels(x, 100, 'W6-w');
    const neurite = async () =>
      usePath('neurite', async () => {
        const once = async () => {
          nn.setSeed(1);
          const model = seedSpec.neurite();
          model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
          return seconds(() => model.fit(nn.tensor(x, [100, 2]), nn.tensor(y, [100, 1]), { epochs: 100, batchSize: 32, verbose: 0 }));
        };
        await once();
        return median([await once(), await once(), await once()]);
      });
    const peer = (name: 'tfjs-cpu' | 'tfjs-wasm') => async () => {
      if (!(await usePeer(name))) return NaN;
      const once = async () => {
        const model = seedSpec.tfjs(tf);
        model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
        const xs = tf.tensor2d(x, [100, 2]);
        const ys = tf.tensor2d(y, [100, 1]);
        const s = await seconds(() => model.fit(xs, ys, { epochs: 100, batchSize: 32, verbose: 0 }));
        xs.dispose();
        ys.dispose();
        model.dispose();
        return s;
      };
      await once();
      return median([await once(), await once(), await once()]);
    };
    const pytorch = torchRunner({ kind: 'train', model: 'seed', x, y, shape: [100, 2], batch: 32, epochs: 100, trials: 3 });
    return { neurite, 'tfjs-cpu': peer('tfjs-cpu'), 'tfjs-wasm': peer('tfjs-wasm'), pytorch };
  },
};
