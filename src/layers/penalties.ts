import { Constraint, ConstraintSpec, resolveConstraint, serializeConstraint } from '../constraints/constraints.js';
import { Regularizer, RegularizerSpec, resolveRegularizer, serializeRegularizer } from '../regularizers/regularizers.js';
import { LayerConfig, read } from './config.js';

/**
 * Regularizers and constraints of a layer's weights, as Keras spells them per weight prefix
 * (`kernelRegularizer` / `kernel_regularizer`, `biasConstraint` / `bias_constraint` …), plus the
 * activity regularizer on the output. Any layer (an RNN too) adopts them with these helpers:
 * resolve in the constructor, pass to `addWeight`, write with `penaltiesConfig`.
 */
export interface WeightPenalties {
  /** Regularizer per weight prefix (`kernel`, `bias`, `depthwise` …). */
  readonly regularizers: Record<string, Regularizer | null>;
  /** Constraint per weight prefix. */
  readonly constraints: Record<string, Constraint | null>;
  /** Penalty on the output, or null. */
  readonly activity: Regularizer | null;
}

/** The option keys for weight prefixes `prefixes` (`kernelRegularizer`, `kernelConstraint`, …, `activityRegularizer`). */
export function penaltyOptionKeys(prefixes: readonly string[], { activity = true } = {}): string[] {
  return [...prefixes.flatMap((p) => [`${p}Regularizer`, `${p}Constraint`]), ...(activity ? ['activityRegularizer'] : [])];
}

/** camelCase → snake_case (`depthwise` stays, `recurrentKernel` → `recurrent_kernel`). */
function snake(prefix: string): string {
  return prefix.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Resolves and checks the penalty options of `options` for `prefixes`; `what` names the layer in messages. */
export function resolvePenalties(prefixes: readonly string[], options: Record<string, unknown>, what: string, { activity = true } = {}): WeightPenalties {
  const regularizers: Record<string, Regularizer | null> = {};
  const constraints: Record<string, Constraint | null> = {};
  for (const p of prefixes) {
    regularizers[p] = resolveRegularizer(options[`${p}Regularizer`] as RegularizerSpec | null | undefined, `${what} ${p}Regularizer`);
    constraints[p] = resolveConstraint(options[`${p}Constraint`] as ConstraintSpec | null | undefined, `${what} ${p}Constraint`);
  }
  const act = activity ? resolveRegularizer(options.activityRegularizer as RegularizerSpec | null | undefined, `${what} activityRegularizer`) : null;
  return { regularizers, constraints, activity: act };
}

/** The penalty options read from a model.json config (TF.js / Keras snake_case keys). */
export function penaltiesFromConfig(prefixes: readonly string[], config: LayerConfig, { activity = true } = {}): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const p of prefixes) {
    options[`${p}Regularizer`] = read(config, `${snake(p)}_regularizer`, null);
    options[`${p}Constraint`] = read(config, `${snake(p)}_constraint`, null);
  }
  if (activity) options.activityRegularizer = read(config, 'activity_regularizer', null);
  return options;
}

/** The snake_case config entries TF.js writes for the penalties (null where none). */
export function penaltiesConfig(prefixes: readonly string[], penalties: WeightPenalties, { activity = true } = {}): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const p of prefixes) {
    config[`${snake(p)}_regularizer`] = serializeRegularizer(penalties.regularizers[p]);
    config[`${snake(p)}_constraint`] = serializeConstraint(penalties.constraints[p]);
  }
  if (activity) config.activity_regularizer = serializeRegularizer(penalties.activity);
  return config;
}

/** The `addWeight` options for the weight with `prefix`. */
export function weightPenalty(penalties: WeightPenalties, prefix: string): { regularizer: Regularizer | null; constraint: Constraint | null } {
  return { regularizer: penalties.regularizers[prefix] ?? null, constraint: penalties.constraints[prefix] ?? null };
}
