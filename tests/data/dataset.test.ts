import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/creation.js';
import { Dataset } from '../../src/data/dataset.js';
import { fromArrays, generator } from '../../src/data/from-arrays.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';

const range = (n: number) => generator(function* () {
  for (let i = 0; i < n; i++) yield i;
}, n);

describe('Dataset', () => {
  it('take, skip, repeat, map and their sizes; every iteration is a fresh pass', async () => {
    const ds = range(5);
    expect(await ds.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(await ds.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(await ds.take(2).toArray()).toEqual([0, 1]);
    expect(await ds.skip(3).toArray()).toEqual([3, 4]);
    expect(await ds.repeat(2).toArray()).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(await ds.map(async (v) => v * 10).toArray()).toEqual([0, 10, 20, 30, 40]);
    expect(await ds.repeat().take(7).toArray()).toEqual([0, 1, 2, 3, 4, 0, 1]);
    expect([ds.take(2).size, ds.skip(7).size, ds.repeat(3).size, ds.repeat().size, ds.batch(2).size, ds.batch(2, false).size]).toEqual([2, 0, 15, Infinity, 3, 2]);
    expect(generator(function* () { yield 1; }).size).toBeNull();
    await expect(ds.repeat().toArray()).rejects.toThrow(/endless/);
  });

  it('batch stacks tensors, numbers and objects along a new first axis, with a smaller last batch', async () => {
    const ds = fromArrays({ a: [[1, 2], [3, 4], [5, 6]], b: tensor([[1], [2], [3]]) }, [7, 8, 9]).batch(2);
    const batches = (await ds.toArray()) as { xs: Record<string, Tensor>; ys: Tensor }[];
    expect(batches).toHaveLength(2);
    expect(batches[0].xs.a.shape).toEqual([2, 2]);
    expect(Array.from(batches[0].xs.a.data)).toEqual([1, 2, 3, 4]);
    expect(batches[1].xs.b.shape).toEqual([1, 1]);
    expect(Array.from(batches[1].ys.data)).toEqual([9]);
    expect(batches[0].ys.shape).toEqual([2]);
    const numbers = (await generator(function* () { yield 1; yield 2; yield 3; }).batch(2).toArray()) as unknown as Tensor[];
    expect(numbers.map((t) => Array.from(t.data))).toEqual([[1, 2], [3]]);
  });

  it('shuffle is a permutation, seeded, different on each pass, and local to its buffer', async () => {
    const ds = range(50).shuffle(10, 3);
    const a = await ds.toArray();
    const b = await ds.toArray();
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(a).not.toEqual(b);
    expect(await range(50).shuffle(10, 3).toArray()).toEqual(a);
    // With a buffer of 10, output i can only come from inputs < i + 10.
    a.forEach((v, i) => expect(v).toBeLessThan(i + 10));
  });

  it('prefetch reads ahead without changing order', async () => {
    let pulled = 0;
    const ds = generator(async function* () {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield i;
      }
    });
    const seen: number[] = [];
    for await (const v of ds.prefetch(3)) {
      seen.push(v);
      if (v === 0) {
        await new Promise((r) => setTimeout(r, 5));
        expect(pulled).toBeGreaterThanOrEqual(3);
      }
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('bad input: sizes, counts, mixed shapes', async () => {
    expect(() => range(3).batch(0)).toThrow(ValueError);
    expect(() => range(3).shuffle(-1)).toThrow(/bufferSize to be a positive integer/);
    expect(() => range(3).take(1.5)).toThrow(/count/);
    expect(() => fromArrays([[1], [2]], [1, 2, 3])).toThrow(ShapeError);
    expect(() => fromArrays([[1], [2]], [1, 2, 3])).toThrow(/xs has 2 .* ys has 3/);
    const mixed = new Dataset(function* () { yield tensor([1, 2]); yield tensor([1]); });
    await expect(mixed.batch(2).toArray()).rejects.toThrow(/element 1 has its tensor of shape \[1\], element 0 \[2\]/);
  });
});
