import { ValueError } from '../../util/errors.js';
import { LearningRateSchedule } from './schedule.js';
import { ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay } from './decays.js';
import { CosineDecay, CosineDecayRestarts } from './cosine.js';

type Reader = (c: Record<string, unknown>) => LearningRateSchedule;
const num = (c: Record<string, unknown>, k: string) => c[k] as number;
const opt = <T>(c: Record<string, unknown>, k: string) => (c[k] === undefined ? undefined : (c[k] as T));

const READERS: Record<string, Reader> = {
  ExponentialDecay: (c) => new ExponentialDecay(num(c, 'initial_learning_rate'), num(c, 'decay_steps'), num(c, 'decay_rate'), { staircase: opt(c, 'staircase'), name: opt(c, 'name') }),
  InverseTimeDecay: (c) => new InverseTimeDecay(num(c, 'initial_learning_rate'), num(c, 'decay_steps'), num(c, 'decay_rate'), { staircase: opt(c, 'staircase'), name: opt(c, 'name') }),
  PolynomialDecay: (c) =>
    new PolynomialDecay(num(c, 'initial_learning_rate'), num(c, 'decay_steps'), {
      endLearningRate: opt(c, 'end_learning_rate'), power: opt(c, 'power'), cycle: opt(c, 'cycle'), name: opt(c, 'name'),
    }),
  PiecewiseConstantDecay: (c) => new PiecewiseConstantDecay(c.boundaries as number[], c.values as number[], { name: opt(c, 'name') }),
  CosineDecay: (c) =>
    new CosineDecay(num(c, 'initial_learning_rate'), num(c, 'decay_steps'), {
      alpha: opt(c, 'alpha'), warmupTarget: opt(c, 'warmup_target'), warmupSteps: opt(c, 'warmup_steps'), name: opt(c, 'name'),
    }),
  CosineDecayRestarts: (c) =>
    new CosineDecayRestarts(num(c, 'initial_learning_rate'), num(c, 'first_decay_steps'), {
      tMul: opt(c, 't_mul'), mMul: opt(c, 'm_mul'), alpha: opt(c, 'alpha'), name: opt(c, 'name'),
    }),
};

/** Keys each schedule's config may hold (Keras `get_config`). */
const KEYS: Record<string, string[]> = {
  ExponentialDecay: ['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase', 'name'],
  InverseTimeDecay: ['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase', 'name'],
  PolynomialDecay: ['initial_learning_rate', 'decay_steps', 'end_learning_rate', 'power', 'cycle', 'name'],
  PiecewiseConstantDecay: ['boundaries', 'values', 'name'],
  CosineDecay: ['initial_learning_rate', 'decay_steps', 'alpha', 'name', 'warmup_target', 'warmup_steps'],
  CosineDecayRestarts: ['initial_learning_rate', 'first_decay_steps', 't_mul', 'm_mul', 'alpha', 'name'],
};

/**
 * A schedule from its serialized form `{ class_name, config }` (Keras's, as saved in an optimizer config).
 * @example scheduleFromConfig({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 } });
 */
export function scheduleFromConfig(serialized: unknown): LearningRateSchedule {
  const s = serialized as { class_name?: unknown; config?: unknown };
  if (s === null || typeof s !== 'object' || typeof s.class_name !== 'string' || s.config === null || typeof s.config !== 'object') {
    throw new ValueError(`learning-rate schedule: expected { class_name, config }, received ${JSON.stringify(serialized)?.slice(0, 200)}`);
  }
  const reader = Object.prototype.hasOwnProperty.call(READERS, s.class_name) ? READERS[s.class_name] : undefined;
  if (reader === undefined) {
    throw new ValueError(`learning-rate schedule: unknown class_name '${s.class_name.slice(0, 60)}'; expected one of ${Object.keys(READERS).join(', ')}`);
  }
  const config = s.config as Record<string, unknown>;
  const unknown = Object.keys(config).filter((k) => !KEYS[s.class_name as string].includes(k));
  if (unknown.length > 0) throw new ValueError(`learning-rate schedule ${s.class_name}: unknown config key(s) ${unknown.map((k) => `'${k.slice(0, 60)}'`).join(', ')}`);
  return reader(config);
}
