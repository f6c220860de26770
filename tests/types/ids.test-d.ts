// Type-level test, checked by `tsc --noEmit` (tsconfig includes tests/): every string id is a literal union,
// so a misspelt id fails to compile. Each @ts-expect-error line must really be an error, or tsc fails.
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Activation } from '../../src/layers/activation.js';
import { getOptimizer } from '../../src/optimizers/registry.js';
import { getLoss } from '../../src/losses/registry.js';
import { resolveCompile } from '../../src/training/compile.js';

export function typeChecks(model: Sequential): void {
  // Accepted spellings.
  model.compile({ optimizer: 'adamw', loss: 'huber', metrics: ['accuracy', 'f1_score', 'top_k_categorical_accuracy'] });
  model.compile({ optimizer: 'Nadam', loss: 'binaryFocalCrossentropy', metrics: ['AUC', 'r2Score'] });
  resolveCompile({ optimizer: 'RMSProp', loss: 'kld' });
  getOptimizer('ftrl');
  getLoss('log_cosh');
  new Dense(2, { activation: 'hardSigmoid' });
  new Dense(2, { activation: 'leaky_relu' });
  new Activation('silu');

  // @ts-expect-error a misspelt optimizer id
  model.compile({ optimizer: 'adamm', loss: 'mse' });
  // @ts-expect-error a misspelt loss id
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropyy' });
  // @ts-expect-error a misspelt metric id
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] });
  // @ts-expect-error a misspelt optimizer id for getOptimizer
  getOptimizer('lionn');
  // @ts-expect-error a misspelt loss id for getLoss
  getLoss('hubber');
  // @ts-expect-error a misspelt activation id
  new Dense(2, { activation: 'rellu' });
  // @ts-expect-error a misspelt activation for the Activation layer
  new Activation('sigmod');
}
