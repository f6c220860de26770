import { ValueError } from '../util/errors.js';
import { Optimizer } from './optimizer.js';
import { Adam } from './adam.js';
import { SGD } from './sgd.js';
import { RMSprop } from './rmsprop.js';
import { describeValue } from '../util/describe.js';

/** String ids of the built-in optimizers (Keras; matched case-insensitively, so `'Adam'` works too). */
export type OptimizerId = 'adam' | 'sgd' | 'rmsprop';

const FACTORIES: Record<OptimizerId, (config: Record<string, unknown>) => Optimizer> = {
  adam: (c) => new Adam(c),
  sgd: (c) => new SGD(c),
  rmsprop: (c) => new RMSprop(c),
};

/** The valid optimizer ids, for messages. */
export const OPTIMIZER_IDS: readonly OptimizerId[] = Object.keys(FACTORIES) as OptimizerId[];

/**
 * An optimizer from an id (Keras defaults, or `config` as the constructor takes it) or an instance (returned as is).
 * @example getOptimizer('adam'); getOptimizer('sgd', { learningRate: 0.1 });
 */
export function getOptimizer(identifier: OptimizerId | string | Optimizer, config: Record<string, unknown> = {}): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  const key = typeof identifier === 'string' ? identifier.toLowerCase() : '';
  if (!Object.prototype.hasOwnProperty.call(FACTORIES, key)) {
    throw new ValueError(
      `Unknown optimizer: ${describeValue(identifier)}; expected one of ${OPTIMIZER_IDS.map((id) => `'${id}'`).join(', ')} or an Optimizer instance`,
    );
  }
  return FACTORIES[key as OptimizerId](config);
}
