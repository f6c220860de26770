// Type-level only: the History / evaluate keys that `compile`'s arguments give, so that
// `const m = model.compile({ loss, metrics: ['accuracy'] })` types `(await m.fit(x, y)).history.accuracy`
// as `number[]` with no generic parameter written. The runtime twin of these rules is `resolveCompile`
// and `historyKey` in compile.ts (a key per metric, `<output>_<key>` with several outputs, `val_` for
// validation); tests/types/fixtures checks both agree on the documented cases.
import type { CompileArgs, MetricId, MetricKeyOf } from './compile.js';

/**
 * Stands for a key only known at run time (a Metric instance whose `name` is a plain `string`, or output
 * names the types do not know). A branded string, so a union with it keeps its literal members.
 */
export type UnknownKey = string & { readonly __unknownHistoryKey: true };

declare const METRIC_NAMES: unique symbol;

/**
 * Type-only mark that `compile` puts on the model it returns: the keys of its History and `evaluate`
 * results (without `val_`). Nothing at run time; `fit` / `evaluate` read it from their receiver.
 * @example
 * const model: Sequential & WithMetricNames<'accuracy'> = new Sequential([new Dense(1)]).compile({ loss: 'mse', metrics: ['accuracy'] });
 */
export interface WithMetricNames<K extends string> {
  /** Type only; never set. */
  readonly [METRIC_NAMES]?: { readonly keys: K };
}

/** The keys a compiled model's type carries; `string` (any key, none known) when it carries none. */
export type MetricNamesOf<T> = T extends { readonly [METRIC_NAMES]?: { readonly keys: infer K extends string } } ? K : string;

/** One metric spec's key: the id's Keras key (`'AUC'` → `'auc'`), or an instance's literal `name`. */
type SpecKey<S> = S extends MetricId ? MetricKeyOf<S> : S extends { readonly name: infer N extends string } ? (string extends N ? UnknownKey : N) : UnknownKey;

/** Keys of a list of specs, or of one spec. */
type ListKeys<L> = L extends readonly (infer E)[] ? SpecKey<E> : SpecKey<L>;

/** `<output>_<key>` (Keras 3's name with several outputs); an unknown key stays unknown. */
type Prefixed<Out extends string, K> = K extends UnknownKey ? UnknownKey : K extends string ? `${Out}_${K}` : never;

/** Every leaf key of `metrics`, whatever its form, for a model with one output (no prefixes). */
type SingleOutputKeys<M> = M extends readonly (infer E)[] ? ListKeys<E> : M extends Record<string, unknown> ? { [P in keyof M]: ListKeys<M[P]> }[keyof M] : never;

/** Keys for several outputs named `Names` (a union of literals). */
type MultiOutputKeys<M, Names extends string> =
  | `${Names}_loss`
  | (M extends readonly (infer E)[]
      ? [Extract<E, readonly unknown[]>] extends [never]
        ? { [N in Names]: Prefixed<N, SpecKey<E>> }[Names] // one list for every output
        : UnknownKey // one list per output, by position: the order of a union of names is not known
      : M extends Record<string, unknown>
        ? { [P in keyof M & string]: Prefixed<P, ListKeys<M[P]>> }[keyof M & string]
        : never);

/** `A`'s metrics, or never without any. */
type MetricsOf<A> = A extends { readonly metrics: infer M } ? M : never;

/** Whether `T` is a single string literal (not a union, not `string`). */
type IsOneLiteral<T extends string, U extends string = T> = string extends T ? false : T extends unknown ? ([U] extends [T] ? true : false) : false;

/**
 * The History / evaluate keys (besides `loss`, without `val_`) that compile arguments `A` give a model
 * whose outputs are `Names`: `null` for one output, a union of literal names, or `string` when unknown.
 */
export type MetricKeys<A extends CompileArgs, Names extends string | null = null> = [Names] extends [string]
  ? string extends Names
    ? UnknownKey
    : IsOneLiteral<Names & string> extends true
      ? SingleOutputKeys<MetricsOf<A>>
      : MultiOutputKeys<MetricsOf<A>, Names & string>
  : SingleOutputKeys<MetricsOf<A>>;

/**
 * Whether `fit` evaluates on validation data after each epoch ('yes', 'no' or 'maybe'), from the types
 * inferred for its `validationSplit` (`S`: a literal such as `0.2`, `number`, or `never` when not written)
 * and `validationData` (`D`, `never` when not written). A literal split of 0 (or null data) is no validation.
 */
export type ValidationGiven<S extends number = never, D = never> = [Exclude<D, undefined | null>] extends [never]
  ? [S] extends [never]
    ? 'no'
    : S extends 0
      ? 'no'
      : 0 extends S
        ? 'maybe'
        : 'yes'
  : 'yes';

/** `val_<key>` for each key, and `val_loss`. */
export type ValKeys<K extends string> = 'val_loss' | (K extends UnknownKey ? UnknownKey : `val_${K}`);
