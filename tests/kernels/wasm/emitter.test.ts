import { describe, expect, it } from 'vitest';
import {
  ValType,
  f32Const,
  f32x4Add,
  f32x4ExtractLane,
  f32x4Mul,
  f32x4RelaxedMadd,
  f32x4Splat,
  flatten,
  i32Add,
  i32Const,
  localGet,
  localSet,
  v128Load,
  v128Load32Splat,
  v128Store,
} from '../../../src/kernels/wasm/instructions.js';
import { doWhileBelow, forRange, minU } from '../../../src/kernels/wasm/loops.js';
import { encodeModule, frame, type FuncDef } from '../../../src/kernels/wasm/module.js';
import { relaxedSimdSupported } from '../../../src/kernels/wasm/features.js';
import { wasmApi } from '../../../src/kernels/wasm/wasm-api.js';
import { ValueError } from '../../../src/util/errors.js';

const wasm = wasmApi!;

function instantiate(bytes: Uint8Array, memory?: unknown): Record<string, (...args: number[]) => number> {
  const imports: Record<string, Record<string, unknown>> = memory === undefined ? {} : { env: { memory } };
  return new wasm.Instance(new wasm.Module(bytes), imports).exports as Record<string, (...args: number[]) => number>;
}

const addI32: FuncDef = {
  params: [ValType.i32, ValType.i32],
  results: [ValType.i32],
  locals: [],
  body: i32Add(localGet(0), localGet(1)),
  exportName: 'add',
};

describe('encodeModule', () => {
  it('encodes a module that adds two numbers byte for byte as assembled by hand', () => {
    // (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
    const expected = [
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
      0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type section: (i32, i32) -> i32
      0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
      0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, // export "add" = function 0
      0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, // code: no locals, body, end
    ];
    expect(Array.from(encodeModule({ funcs: [addI32] }))).toEqual(expected);
  });

  it('the add module validates and runs', () => {
    const bytes = encodeModule({ funcs: [addI32] });
    expect(wasm.validate(bytes)).toBe(true);
    expect(instantiate(bytes).add(40, 2)).toBe(42);
    expect(instantiate(bytes).add(2 ** 31 - 1, 1)).toBe(-(2 ** 31)); // i32 wraps
  });

  it('groups runs of equal local types and shares identical signatures', () => {
    const f = frame({ x: ValType.i32 }, { a: ValType.i32, b: ValType.i32, v: ValType.v128, c: ValType.i32 });
    expect(f.index).toEqual({ x: 0, a: 1, b: 2, v: 3, c: 4 });
    const def: FuncDef = { ...f, results: [ValType.i32], body: [localSet(f.index.c, localGet(f.index.x)), localGet(f.index.c)], exportName: 'id' };
    const bytes = encodeModule({ funcs: [def, { ...def, exportName: 'id2' }] });
    // Locals: 3 runs, (2 × i32), (1 × v128), (1 × i32).
    expect(Array.from(bytes).join()).toContain([0x03, 0x02, 0x7f, 0x01, 0x7b, 0x01, 0x7f].join());
    // One type entry for both functions.
    expect(Array.from(bytes.subarray(8, 11))).toEqual([0x01, 0x06, 0x01]);
    expect(instantiate(bytes).id2(7)).toBe(7);
  });

  it('requires a maximum for a shared memory', () => {
    expect(() => encodeModule({ memory: { module: 'env', name: 'memory', initial: 1, shared: true }, funcs: [] })).toThrow(ValueError);
  });
});

describe('instructions and loops', () => {
  it('flattens nested code in order', () => {
    expect(flatten([1, [2, [3, []], 4], 5])).toEqual([1, 2, 3, 4, 5]);
    expect(flatten(i32Const(-1))).toEqual([0x41, 0x7f]);
    expect(flatten(f32Const(1))).toEqual([0x43, 0x00, 0x00, 0x80, 0x3f]);
    // SIMD opcodes: the 0xfd prefix then the LEB128 opcode (f32x4.mul = 0xe6 needs two bytes).
    expect(flatten(f32x4Mul([], []))).toEqual([0xfd, 0xe6, 0x01]);
    expect(flatten(f32x4RelaxedMadd([], [], []))).toEqual([0xfd, 0x85, 0x02]);
  });

  it('forRange and minU: Σ_{i < n} min(i, 5)', () => {
    const f = frame({ n: ValType.i32 }, { i: ValType.i32, s: ValType.i32 });
    const x = f.index;
    const body = [
      localSet(x.s, i32Const(0)),
      forRange(x.i, i32Const(0), localGet(x.n), i32Const(1), localSet(x.s, i32Add(localGet(x.s), minU(localGet(x.i), i32Const(5))))),
      localGet(x.s),
    ];
    const run = instantiate(encodeModule({ funcs: [{ ...f, results: [ValType.i32], body, exportName: 'f' }] })).f;
    // By hand: n=0 → 0; n=4 → 0+1+2+3 = 6; n=10 → 0+1+2+3+4 + 5·5 = 35.
    expect([0, 1, 4, 10].map((n) => run(n))).toEqual([0, 0, 6, 35]);
  });

  it('doWhileBelow: Σ p for p = start, start + 2, … below end, running at least once', () => {
    const f = frame({ p: ValType.i32, end: ValType.i32 }, { s: ValType.i32 });
    const x = f.index;
    const body = [doWhileBelow(x.p, localGet(x.end), i32Const(2), localSet(x.s, i32Add(localGet(x.s), localGet(x.p)))), localGet(x.s)];
    const run = instantiate(encodeModule({ funcs: [{ ...f, results: [ValType.i32], body, exportName: 'f' }] })).f;
    expect(run(1, 8)).toBe(1 + 3 + 5 + 7);
    expect(run(9, 3)).toBe(9); // the body runs once before the first test
  });

  it('SIMD on a shared memory: v128 load / store, splat, mul, add, extract_lane', () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 4, shared: true });
    const f = frame({ a: ValType.i32, b: ValType.i32, dst: ValType.i32 }, {});
    const x = f.index;
    const madd: FuncDef = {
      ...f,
      results: [ValType.f32],
      // dst[0..3] = a[0..3]·b[0] + a[4..7], returns lane 2 of it; offsets exercise the memarg.
      body: [
        v128Store(localGet(x.dst), f32x4Add(f32x4Mul(v128Load(localGet(x.a)), v128Load32Splat(localGet(x.b))), v128Load(localGet(x.a), 16)), 16),
        f32x4ExtractLane(v128Load(localGet(x.dst), 16), 2),
      ],
      exportName: 'madd',
    };
    const splat: FuncDef = { params: [ValType.f32], results: [ValType.f32], locals: [], body: f32x4ExtractLane(f32x4Splat(localGet(0)), 3), exportName: 'splat' };
    const bytes = encodeModule({ memory: { module: 'env', name: 'memory', initial: 1, maximum: 4, shared: true }, funcs: [madd, splat] });
    expect(wasm.validate(bytes)).toBe(true);
    const heap = new Float32Array(memory.buffer);
    heap.set([1, 2, 3, 4, 10, 20, 30, 40], 0);
    heap[16] = 0.5;
    const exports = instantiate(bytes, memory);
    expect(exports.madd(0, 64, 128)).toBe(3 * 0.5 + 30);
    expect(Array.from(heap.subarray(36, 40))).toEqual([10.5, 21, 31.5, 42]);
    expect(exports.splat(2.5)).toBe(2.5);
  });

  it('relaxed madd validates exactly when the runtime has relaxed SIMD', () => {
    const f: FuncDef = {
      params: [ValType.f32],
      results: [ValType.f32],
      locals: [],
      body: f32x4ExtractLane(f32x4RelaxedMadd(f32x4Splat(localGet(0)), f32x4Splat(f32Const(2)), f32x4Splat(f32Const(1))), 0),
      exportName: 'f',
    };
    const bytes = encodeModule({ funcs: [f] });
    expect(wasm.validate(bytes)).toBe(relaxedSimdSupported());
    if (relaxedSimdSupported()) expect(instantiate(bytes).f(3)).toBe(7);
  });
});
