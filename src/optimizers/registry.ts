import { NeuriteError, ValueError } from '../util/errors.js';
import { Optimizer, BASE_OPTION_KEYS } from './optimizer.js';
import { Adam, AdamW, ADAM_KEYS } from './adam.js';
import { SGD } from './sgd.js';
import { RMSprop } from './rmsprop.js';
import { describeValue } from '../util/describe.js';
import { Nadam } from './nadam.js';
import { Adamax } from './adamax.js';
import { Adagrad } from './adagrad.js';
import { Adadelta } from './adadelta.js';
import { Lion } from './lion.js';
import { Ftrl } from './ftrl.js';
import { LearningRateSchedule } from './schedules/schedule.js';
import { scheduleFromConfig } from './schedules/from-config.js';

/** String ids of the built-in optimizers (Keras; matched case-insensitively, so `'Adam'` works too). */
export type OptimizerId = 'adam' | 'sgd' | 'rmsprop' | 'adamw' | 'nadam' | 'adamax' | 'adagrad' | 'adadelta' | 'lion' | 'ftrl';

/** The spellings `getOptimizer` accepts: the ids and their Keras / TF.js class names. */
export type OptimizerName = OptimizerId | 'Adam' | 'AdamW' | 'SGD' | 'RMSprop' | 'RMSProp' | 'Nadam' | 'Adamax' | 'Adagrad' | 'Adadelta' | 'Lion' | 'Ftrl';

type Entry = { make: (config: Record<string, unknown>) => Optimizer; keys: readonly string[] };
const own = (...keys: string[]) => [...BASE_OPTION_KEYS, ...keys];
const FACTORIES: Record<OptimizerId, Entry> = {
  adam: { make: (c) => new Adam(c), keys: own(...ADAM_KEYS) },
  sgd: { make: (c) => new SGD(c), keys: own('momentum', 'nesterov') },
  rmsprop: { make: (c) => new RMSprop(c), keys: own('rho', 'decay', 'momentum', 'epsilon', 'centered') },
  adamw: { make: (c) => new AdamW(c), keys: own(...ADAM_KEYS) },
  nadam: { make: (c) => new Nadam(c), keys: own('beta1', 'beta2', 'epsilon') },
  adamax: { make: (c) => new Adamax(c), keys: own('beta1', 'beta2', 'epsilon') },
  adagrad: { make: (c) => new Adagrad(c), keys: own('initialAccumulatorValue', 'epsilon') },
  adadelta: { make: (c) => new Adadelta(c), keys: own('rho', 'epsilon') },
  lion: { make: (c) => new Lion(c), keys: own('beta1', 'beta2') },
  ftrl: {
    make: (c) => new Ftrl(c),
    keys: own('learningRatePower', 'initialAccumulatorValue', 'l1RegularizationStrength', 'l2RegularizationStrength', 'l2ShrinkageRegularizationStrength', 'beta'),
  },
};

/** The valid optimizer ids, for messages. */
export const OPTIMIZER_IDS: readonly OptimizerId[] = Object.keys(FACTORIES) as OptimizerId[];

function entryOf(identifier: unknown): Entry {
  const key = typeof identifier === 'string' ? identifier.toLowerCase() : '';
  if (!Object.prototype.hasOwnProperty.call(FACTORIES, key)) {
    throw new ValueError(
      `Unknown optimizer: ${JSON.stringify(identifier)?.slice(0, 80)}; expected one of ${OPTIMIZER_IDS.map((id) => `'${id}'`).join(', ')} or an Optimizer instance`,
    );
  }
  return FACTORIES[key as OptimizerId];
}

/** A schedule given in serialized form (from a saved config) becomes a schedule object. */
function withSchedule(config: Record<string, unknown>): Record<string, unknown> {
  const lr = config.learningRate;
  if (lr === undefined || typeof lr === 'number' || lr instanceof LearningRateSchedule) return config;
  return { ...config, learningRate: scheduleFromConfig(lr) };
}

/**
 * An optimizer from an id (Keras defaults, or `config` as the constructor takes it) or an instance (returned as is).
 * @example getOptimizer('adam'); getOptimizer('sgd', { learningRate: 0.1 });
 */
export function getOptimizer(identifier: OptimizerName | Optimizer, config: Record<string, unknown> = {}): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  return entryOf(identifier).make(withSchedule(config));
}

/** Keras 3 snake_case keys whose camelCase spelling is not the mechanical one. */
const SPECIAL: Record<string, string> = { beta_1: 'beta1', beta_2: 'beta2', clipnorm: 'clipNorm', clipvalue: 'clipValue', global_clipnorm: 'globalClipnorm' };

/** A Keras (snake_case) or TF.js (camelCase) optimizer config key in the camelCase spelling neurite's options use. */
export function optimizerOptionKey(key: string): string {
  return SPECIAL[key] ?? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The optimizer a saved config describes (Keras 3 or TF.js keys, `class_name` as written). Keys the class
 * does not know are accepted only with a neutral value (null, false, 0) or as Keras's bookkeeping `name`,
 * so no setting is silently dropped; a known key with value null means its default.
 * @example optimizerFromConfig('Adam', { learning_rate: 0.01, beta_1: 0.9 });
 */
export function optimizerFromConfig(className: string, config: Record<string, unknown>): Optimizer {
  const entry = entryOf(className);
  const options: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(config)) {
    // TF.js's RMSProp calls rho `decay`; in Keras configs `decay` is a learning-rate decay (0 when unused).
    const key = className === 'RMSProp' && rawKey === 'decay' ? 'rho' : optimizerOptionKey(rawKey);
    if (entry.keys.includes(key) && key !== 'decay') {
      if (value !== null) options[key] = value;
    } else if (rawKey !== 'name' && value !== null && value !== false && value !== 0) {
      throw new NeuriteError(`'${rawKey.slice(0, 60)}' = ${describeValue(value)} is not supported`);
    }
  }
  return entry.make(withSchedule(options));
}
