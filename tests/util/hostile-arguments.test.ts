import { describe, expect, it } from 'vitest';
import { NeuriteError } from '../../src/util/errors.js';
import { describeValue } from '../../src/util/describe.js';
import { checkJsonDepth, MAX_ELEMENTS } from '../../src/util/limits.js';
import { setSeed } from '../../src/util/random.js';
import { fill, ones, randomNormal, randomUniform, tensor, zeros } from '../../src/tensor/creation.js';
import { oneHot } from '../../src/ops/gather.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Dropout } from '../../src/layers/dropout.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { Sequential } from '../../src/models/sequential.js';

/** A `depth`-deep chain of one-element arrays, built without recursion. */
function deepArray(depth: number): unknown[] {
  const root: unknown[] = [];
  let v = root;
  for (let i = 0; i < depth; i++) {
    const next: unknown[] = [];
    v.push(next);
    v = next;
  }
  return root;
}

/** Expects `fn` to throw a NeuriteError whose message matches `pattern` (never a raw engine error). */
function expectRefused(fn: () => unknown, pattern: RegExp): void {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NeuriteError);
  expect((error as Error).message).toMatch(pattern);
  expect((error as Error).message.length).toBeLessThan(2100);
}

describe('public entries refuse BigInt, non-finite, out-of-range and oversized arguments', () => {
  it('creation functions: sizes past a Float32Array, BigInt dimensions, NaN parameters, non-number fill values', () => {
    expectRefused(() => zeros([2 ** 40]), /zeros|fill: shape \[1099511627776\] has 1099511627776 elements, more than a Float32Array can hold/);
    expectRefused(() => ones([2 ** 16, 2 ** 16, 2]), /more than a Float32Array can hold \(4294967296\)/);
    expectRefused(() => zeros([2n as never]), /expected a shape of non-negative integers, received \[2n \(a BigInt\)\]/);
    expectRefused(() => zeros([1.5]), /non-negative integers/);
    expectRefused(() => zeros(new Array(65).fill(1)), /rank 65; at most 64 axes/);
    expectRefused(() => randomNormal([2 ** 20, 2 ** 20]), /randomNormal: shape \[1048576, 1048576\]/);
    expectRefused(() => randomNormal([2], { stddev: NaN }), /randomNormal: expected stddev to be a finite number >= 0, received NaN/);
    expectRefused(() => randomNormal([2], { mean: Infinity }), /randomNormal: expected mean to be a finite number, received Infinity/);
    expectRefused(() => randomNormal([2], { seed: 1n as never }), /randomNormal: expected seed .* received 1n \(a BigInt\)/);
    expectRefused(() => randomUniform([2], { maxval: NaN }), /randomUniform: expected maxval/);
    expectRefused(() => randomUniform([2 ** 33]), /randomUniform: shape/);
    expectRefused(() => fill([2], 'x' as never), /fill: expected value to be a number \(not NaN\), received "x"/);
    expectRefused(() => fill([2], NaN), /fill: expected value to be a number/);
    expectRefused(() => fill([2], 3n as never), /received 3n \(a BigInt\)/);
    expect(Array.from(fill([2], -Infinity).data)).toEqual([-Infinity, -Infinity]);
  });

  it('tensor(): BigInt values and shapes, and 100,000-deep nesting, give NeuriteErrors (no stack overflow)', () => {
    expectRefused(() => tensor([1n as never]), /tensor: expected a number at depth 1, received 1n \(a BigInt\)/);
    expectRefused(() => tensor([1], [1n as never]), /tensor: expected a shape of non-negative integers, received \[1n/);
    expectRefused(() => tensor(deepArray(100_000) as never), /tensor: nested arrays deeper than 64 levels/);
    expect(tensor(deepArray(10) as never).shape).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it('oneHot: a huge depth, a huge result, BigInt and NaN values', () => {
    expectRefused(() => oneHot([1], 2 ** 40), /oneHot: expected depth to be a positive integer, received 1099511627776 \(more than 4294967296\)/);
    expectRefused(() => oneHot(zeros([2 ** 16]), 2 ** 17), /oneHot: shape \[65536, 131072\] has 8589934592 elements/);
    expectRefused(() => oneHot([0], 2n as never), /oneHot: expected depth to be a positive integer, received 2n \(a BigInt\)/);
    expectRefused(() => oneHot([0], 2, NaN), /oneHot: expected onValue to be a finite number, received NaN/);
  });

  it('layers: huge units give a NeuriteError naming the layer and weight; BigInt options name the argument', () => {
    expectRefused(() => new Dense(2 ** 31, { inputShape: [4] }).apply(zeros([1, 4])), /dense.*weight 'kernel': shape \[4, 2147483648\] has 8589934592 elements, more than a Float32Array can hold/);
    expectRefused(() => new Sequential([new LSTM(2 ** 31, { inputShape: [2, 3] })]), /lstm.*weight 'kernel'.*more than a Float32Array can hold/);
    expectRefused(() => new Dense(2n as never), /received 2n \(a BigInt\)/);
    expectRefused(() => new Dense(2, { inputShape: [2n as never] }), /received \[2n \(a BigInt\)\]/);
    expectRefused(() => new Conv2D(2n as never, 3), /received 2n \(a BigInt\)/);
    expectRefused(() => new Dropout(0.5, { seed: 2n as never }), /seed, received 2n \(a BigInt\)/);
    expectRefused(() => new Dropout(NaN), /rate in \[0, 1\), received NaN/);
    expectRefused(() => setSeed(2n as never), /setSeed: expected a number or a string, received bigint/);
    expectRefused(() => setSeed(NaN), /setSeed: expected a finite number/);
    expect(MAX_ELEMENTS).toBe(2 ** 32);
  });
});

describe('bounded messages and walks', () => {
  it('describeValue never throws or recurses deeply, and stays short', () => {
    expect(describeValue([1, [2, [3, [4]]]])).toBe('[1,[2,[3,[…]]]]');
    expect(describeValue({ a: 1n })).toBe('{"a":1n (a BigInt)}');
    expect(describeValue(deepArray(100_000))).toBe('[[[[…]]]]');
    expect(describeValue(new Array(100_000).fill(7)).length).toBeLessThanOrEqual(120);
    expect(describeValue('x'.repeat(10_000)).length).toBeLessThan(70);
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    expect(describeValue(hostile)).toBe('object');
  });

  it('checkJsonDepth walks iteratively and names the document', () => {
    expect(() => checkJsonDepth(deepArray(100_000), 'f.json')).toThrow(/f\.json: nested deeper than 100 levels/);
    expect(() => checkJsonDepth({ a: { b: deepArray(200) } }, 'g')).toThrow(NeuriteError);
    expect(() => checkJsonDepth({ a: { b: deepArray(90) } }, 'g')).not.toThrow();
  });
});

describe('fit refuses deep, BigInt and oversized input with NeuriteErrors', () => {
  const model = () => {
    const m = new Sequential([new Dense(1, { inputShape: [2] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    return m;
  };

  it('100,000-deep nested x, BigInt values in x, and BigInt / huge options', async () => {
    const y = tensor([[1]]);
    const refused = async (p: Promise<unknown>, pattern: RegExp) => {
      const e = await p.then(() => null, (err: unknown) => err);
      expect(e).toBeInstanceOf(NeuriteError);
      expect((e as Error).message).toMatch(pattern);
    };
    await refused(model().fit(deepArray(100_000) as never, y, { verbose: 0 }), /fit: x: .*nested arrays deeper than 64 levels/);
    await refused(model().fit([[1n, 2]] as never, y, { verbose: 0 }), /fit: x: .*received 1n \(a BigInt\)/);
    await refused(model().fit(tensor([[1, 2]]), y, { verbose: 0, epochs: 2n as never }), /epochs.*2n \(a BigInt\)/);
    await refused(model().fit(tensor([[1, 2]]), y, { verbose: 0, batchSize: NaN }), /batchSize.*NaN/);
  });
});

describe('layer hyper-parameters past a Float32Array', () => {
  it('Dense(2**40) and Conv2D(2**40) are refused at construction, naming the argument', () => {
    expectRefused(() => new Dense(2 ** 40), /units: expected a positive integer, received 1099511627776 \(more than a Float32Array can hold/);
    expectRefused(() => new Conv2D(2 ** 40, 3), /filters: expected a positive integer, received 1099511627776/);
  });
});
