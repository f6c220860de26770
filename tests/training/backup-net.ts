// The model and data of the BackupAndRestore tests, shared with the child process the kill test starts.
import { setSeed } from '../../src/util/random.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Adam } from '../../src/optimizers/adam.js';
import { seedData } from './linear-model.js';

/** A small classifier with Dropout and Adam, its weights drawn from `seed`. */
export function backupNet(seed = 1): Sequential {
  setSeed(seed);
  const m = new Sequential([new Dense(6, { activation: 'relu', inputShape: [2] }), new Dropout(0.25), new Dense(1, { activation: 'sigmoid' })]);
  m.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy', 'auc'] });
  return m;
}

export const backupData = seedData(64, 3);
/** The fit options of the kill test: 4 epochs of 4 shuffled batches. */
export const killFit = { epochs: 4, batchSize: 16, verbose: 0 as const };
