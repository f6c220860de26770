import { ValType, f32x4Max, i32Add, localGet, localSet, v128Const, v128Load, v128Store, i32Const, type Code } from './instructions.js';
import { f32x4Gt, v128And } from './instructions-extra.js';
import { MEMORY_PAGES } from './gemm-module.js';
import { doWhileBelow } from './loops.js';
import { encodeModule, frame, type FuncDef } from './module.js';

/**
 * Branch-free elementwise kernels on whole f32x4 vectors (the caller pads to a multiple of 4 floats):
 * `relu(x, y, bytes)`: y = max(x, 0), a NaN passing through (f32x4.max propagates it);
 * `reluGrad(x, dy, dx, bytes)`: dx = dy where x > 0, else 0 (a NaN x gives 0, as the plain-JS kernel).
 * Random signs make the plain-JS ternaries mispredict about every other element (~5 ns each here).
 */
export function elementwiseModuleBytes(): Uint8Array {
  return encodeModule({
    memory: { module: 'env', name: 'memory', initial: MEMORY_PAGES.initial, maximum: MEMORY_PAGES.maximum, shared: true },
    funcs: [relu(), reluGrad()],
  });
}

const ZERO = v128Const(new Array<number>(16).fill(0));

function relu(): FuncDef {
  const f = frame({ x: ValType.i32, y: ValType.i32, bytes: ValType.i32 }, { end: ValType.i32 });
  const v = f.index;
  const body: Code = [
    localSet(v.end, i32Add(localGet(v.x), localGet(v.bytes))),
    doWhileBelow(
      v.x, localGet(v.end), i32Const(16),
      v128Store(localGet(v.y), f32x4Max(v128Load(localGet(v.x)), ZERO)),
      localSet(v.y, i32Add(localGet(v.y), i32Const(16))),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'relu' };
}

function reluGrad(): FuncDef {
  const f = frame({ x: ValType.i32, dy: ValType.i32, dx: ValType.i32, bytes: ValType.i32 }, { end: ValType.i32 });
  const v = f.index;
  const body: Code = [
    localSet(v.end, i32Add(localGet(v.x), localGet(v.bytes))),
    doWhileBelow(
      v.x, localGet(v.end), i32Const(16),
      v128Store(localGet(v.dx), v128And(v128Load(localGet(v.dy)), f32x4Gt(v128Load(localGet(v.x)), ZERO))),
      localSet(v.dy, i32Add(localGet(v.dy), i32Const(16))),
      localSet(v.dx, i32Add(localGet(v.dx), i32Const(16))),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'reluGrad' };
}
