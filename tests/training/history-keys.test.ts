// The History / evaluate keys the types infer from `compile` (src/training/history-keys.ts) are the keys
// fit and evaluate really produce: each case lists the keys once, `exactKeys` makes tsc check the list
// against the inferred type (missing or extra keys fail `npm run typecheck`), the test checks it against
// the run.
import { describe, expect, it } from 'vitest';
import { AUC, Dense, Input, Model, Precision, Recall, Sequential, setSeed } from '../../src/index.js';
import type { Metric, Tensor } from '../../src/index.js';

/** The keys `T` always has. */
type RequiredKeys<T> = { [P in keyof T]-?: {} extends Pick<T, P> ? never : P }[keyof T] & string;

/** `keys`, when it is exactly `T`'s required keys (a compile error otherwise). */
function exactKeys<T>() {
  return <const K extends readonly string[]>(keys: K & ([RequiredKeys<T>] extends [K[number]] ? ([K[number]] extends [RequiredKeys<T>] ? unknown : never) : never)): readonly string[] => keys;
}

const sorted = (o: object) => Object.keys(o).sort();
const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
const y = [1, 0, 1, 0];

class MyMetric implements Metric {
  readonly name = 'my_metric';
  private n = 0;
  reset(): void {
    this.n = 0;
  }
  update(yTrue: Tensor): void {
    this.n += yTrue.shape[0];
  }
  result(): number {
    return this.n;
  }
}

describe('History keys inferred from compile', () => {
  it('one output: metric ids map to Keras keys (AUC → auc), val_ keys only with validation', async () => {
    setSeed(1);
    const m = new Sequential([new Dense(1, { activation: 'sigmoid', inputShape: [2] })]).compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'AUC'] });
    const h = await m.fit(x, y, { epochs: 2, verbose: 0, validationSplit: 0.5 });
    expect(sorted(h.history)).toEqual([...exactKeys<typeof h.history>()(['loss', 'accuracy', 'auc', 'val_loss', 'val_accuracy', 'val_auc'])].sort());
    expect(h.history.val_auc).toHaveLength(2);
    const plain = await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(sorted(plain.history)).toEqual([...exactKeys<typeof plain.history>()(['loss', 'accuracy', 'auc'])].sort());
    const scores = m.evaluate(x, y);
    expect(sorted(scores)).toEqual([...exactKeys<typeof scores>()(['loss', 'accuracy', 'auc'])].sort());
    const withData = await m.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y] });
    expect(sorted(withData.history)).toEqual([...exactKeys<typeof withData.history>()(['loss', 'accuracy', 'auc', 'val_loss', 'val_accuracy', 'val_auc'])].sort());
  });

  it("a Metric instance's literal name is its key (built-in AUC / Precision / Recall too); camelCase ids give snake_case keys", async () => {
    setSeed(2);
    const m = new Sequential([new Dense(1, { inputShape: [2] })]).compile({ loss: 'mse', metrics: [new MyMetric(), 'meanAbsoluteError'] });
    const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(sorted(h.history)).toEqual([...exactKeys<typeof h.history>()(['loss', 'my_metric', 'mean_absolute_error'])].sort());
    expect(h.history.my_metric).toEqual([4]);
    const named = new Sequential([new Dense(1, { inputShape: [2] })]).compile({ loss: 'mse', metrics: ['mae', new AUC({ name: 'roc' })] });
    const h2 = await named.fit(x, y, { epochs: 1, verbose: 0 });
    expect(sorted(h2.history)).toEqual([...exactKeys<typeof h2.history>()(['loss', 'mae', 'roc'])].sort());
    const builtIn = new Sequential([new Dense(1, { activation: 'sigmoid', inputShape: [2] })]).compile({
      loss: 'binary_crossentropy',
      metrics: [new AUC({ curve: 'PR' }), new Precision({ name: 'prec', thresholds: 0.3 }), new Recall()],
    });
    const h3 = await builtIn.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y] });
    expect(sorted(h3.history)).toEqual([...exactKeys<typeof h3.history>()(['loss', 'auc', 'prec', 'recall', 'val_loss', 'val_auc', 'val_prec', 'val_recall'])].sort());
  });

  it('outputs named by an object: <output>_loss and <output>_<metric>, each with val_', async () => {
    setSeed(3);
    const inp = Input({ shape: [2] });
    const multi = new Model({ inputs: inp, outputs: { cls: new Dense(1, { activation: 'sigmoid' }).apply(inp), reg: new Dense(1).apply(inp) } });
    const m = multi.compile({ optimizer: 'sgd', loss: { cls: 'binary_crossentropy', reg: 'mse' }, metrics: { cls: ['accuracy'], reg: 'mae' } });
    const h = await m.fit(x, { cls: y, reg: y }, { epochs: 1, verbose: 0, validationSplit: 0.5 });
    const expected = ['loss', 'cls_loss', 'reg_loss', 'cls_accuracy', 'reg_mae'];
    const all = exactKeys<typeof h.history>()(['loss', 'cls_loss', 'reg_loss', 'cls_accuracy', 'reg_mae', 'val_loss', 'val_cls_loss', 'val_reg_loss', 'val_cls_accuracy', 'val_reg_mae']);
    expect(sorted(h.history)).toEqual([...all].sort());
    expect(all.slice(0, 5)).toEqual(expected);
    const flat = multi.compile({ loss: 'mse', metrics: ['mae'] });
    const hf = await flat.fit(x, { cls: y, reg: y }, { epochs: 1, verbose: 0 });
    expect(sorted(hf.history)).toEqual([...exactKeys<typeof hf.history>()(['loss', 'cls_loss', 'reg_loss', 'cls_mae', 'reg_mae'])].sort());
    const scores = flat.evaluate(x, { cls: y, reg: y });
    expect(sorted(scores)).toEqual([...exactKeys<typeof scores>()(['loss', 'cls_loss', 'reg_loss', 'cls_mae', 'reg_mae'])].sort());
  });
});
