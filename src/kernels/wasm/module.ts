import { ValueError } from '../../util/errors.js';
import { flatten, type Code, type ValType } from './instructions.js';
import { unsignedLeb128 } from './leb128.js';

/** One function of a module: signature, extra locals, body; `exportName` makes it callable from JS. */
export interface FuncDef {
  params: readonly ValType[];
  results: readonly ValType[];
  locals: readonly ValType[];
  body: Code;
  exportName?: string;
}

/** A linear memory the module imports; `shared` (threads proposal) requires a `maximum`. Sizes in 64 KiB pages. */
export interface MemoryImport {
  module: string;
  name: string;
  initial: number;
  maximum?: number;
  shared?: boolean;
}

/** A whole module: an optional imported memory and functions, indexed 0, 1, … in this order for `call`. */
export interface ModuleDef {
  memory?: MemoryImport;
  funcs: readonly FuncDef[];
}

/** Named parameters then named locals of one function, with their indices for `localGet` / `localSet`. */
export interface Frame<P extends string, L extends string> {
  index: Record<P | L, number>;
  params: ValType[];
  locals: ValType[];
}

/** Gives a function's parameters and locals names; parameters take indices 0, 1, …, locals follow. */
export function frame<P extends string, L extends string>(params: Record<P, ValType>, locals: Record<L, ValType>): Frame<P, L> {
  const index = {} as Record<P | L, number>;
  const names = [...Object.keys(params), ...Object.keys(locals)] as (P | L)[];
  names.forEach((name, i) => {
    index[name] = i;
  });
  return { index, params: Object.values(params) as ValType[], locals: Object.values(locals) as ValType[] };
}

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const enum Section {
  Type = 1,
  Import = 2,
  Function = 3,
  Export = 7,
  Code = 10,
}

/** The binary encoding of `def`, ready for `WebAssembly.validate` / `new WebAssembly.Module`. */
export function encodeModule(def: ModuleDef): Uint8Array {
  const types: number[][] = [];
  const typeIndex = def.funcs.map((f) => {
    const sig = [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))];
    const key = sig.join();
    const found = types.findIndex((t) => t.join() === key);
    if (found >= 0) return found;
    types.push(sig);
    return types.length - 1;
  });
  const bytes = [...MAGIC_AND_VERSION, ...section(Section.Type, vector(types))];
  if (def.memory) bytes.push(...section(Section.Import, vector([memoryImport(def.memory)])));
  bytes.push(...section(Section.Function, vector(typeIndex.map((i) => unsignedLeb128(i)))));
  const exports = def.funcs.flatMap((f, i) => (f.exportName === undefined ? [] : [[...name(f.exportName), 0x00, ...unsignedLeb128(i)]]));
  bytes.push(...section(Section.Export, vector(exports)));
  bytes.push(...section(Section.Code, vector(def.funcs.map(functionBody))));
  return Uint8Array.from(bytes);
}

function memoryImport(m: MemoryImport): number[] {
  if (m.shared && m.maximum === undefined) {
    throw new ValueError(`encodeModule: a shared memory needs a maximum size, received none for ${m.module}.${m.name}`);
  }
  // Limits flag: 0 = initial only, 1 = initial and maximum, 3 = shared with maximum.
  const flag = m.maximum === undefined ? 0x00 : m.shared ? 0x03 : 0x01;
  const limits = [flag, ...unsignedLeb128(m.initial), ...(m.maximum === undefined ? [] : unsignedLeb128(m.maximum))];
  return [...name(m.module), ...name(m.name), 0x02, ...limits];
}

/** A code-section entry: byte size, locals as runs of (count, type), then the body closed by `end`. */
function functionBody(f: FuncDef): number[] {
  const runs: number[][] = [];
  for (let i = 0; i < f.locals.length; ) {
    let j = i;
    while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
    runs.push([...unsignedLeb128(j - i), f.locals[i]]);
    i = j;
  }
  const content = [...vector(runs), ...flatten(f.body), 0x0b];
  return [...unsignedLeb128(content.length), ...content];
}

function section(id: Section, content: number[]): number[] {
  return [id, ...unsignedLeb128(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const utf8 = Array.from(new TextEncoder().encode(text));
  return [...unsignedLeb128(utf8.length), ...utf8];
}
