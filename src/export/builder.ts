import { NeuriteError } from '../util/errors.js';
import { DataType, OnnxAttribute, OnnxDataType, OnnxNode, OnnxTensor } from './onnx-proto.js';

/**
 * Raised when a model (or one of its layers) cannot be written as ONNX; the message names the layer.
 * @example
 * try { toOnnx(model, { opset: 13 }); } catch (e) { if (e instanceof OnnxExportError) console.error(e.message); }
 */
export class OnnxExportError extends NeuriteError {}

/** Attribute shorthands: `attr.i(1)`, `attr.f(0.2)`, `attr.ints([1, 1])`, `attr.s('NOTSET')`. */
export const attr = {
  i: (value: number): OnnxAttribute => ({ kind: 'int', value }),
  f: (value: number): OnnxAttribute => ({ kind: 'float', value }),
  s: (value: string): OnnxAttribute => ({ kind: 'string', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ kind: 'ints', value: [...value] }),
  floats: (value: readonly number[]): OnnxAttribute => ({ kind: 'floats', value: [...value] }),
};

/** Little-endian bytes of typed values (ONNX raw_data is little-endian whatever the host). */
function rawBytes(values: Float32Array | Int32Array | Int8Array | Uint8Array | BigInt64Array): Uint8Array {
  if (values instanceof Int8Array || values instanceof Uint8Array) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  if (values instanceof BigInt64Array) values.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  else if (values instanceof Int32Array) values.forEach((v, i) => view.setInt32(i * 4, v, true));
  else values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/**
 * Collects the nodes and initializers of one ONNX graph under construction: unique tensor names,
 * weights and constants as initializers, and the opset check every operator goes through.
 */
export class OnnxBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  /** The layer being converted, named in errors. */
  current = '';

  constructor(readonly opset: number) {}

  /** A tensor name not used before, from a readable hint (`dense/kernel` → `dense/kernel_1` on reuse). */
  unique(hint: string): string {
    let name = hint;
    for (let k = 1; this.used.has(name); k++) name = `${hint}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Marks names as taken (graph inputs). */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** Throws when the target opset is below what `op` needs. */
  requireOpset(op: string, min: number, why = ''): void {
    if (this.opset < min) {
      throw new OnnxExportError(
        `exportOnnx: layer '${this.current}' needs the ONNX operator ${op}${why}, which needs opset ${min} or newer; the export asked for opset ${this.opset}`,
      );
    }
  }

  /** Adds a node and returns its output names (`outputs` of them, named after the layer and op). */
  op(opType: string, inputs: readonly string[], attributes: Record<string, OnnxAttribute> = {}, outputs = 1): string[] {
    const base = `${this.current || 'graph'}/${opType}`;
    const outs = Array.from({ length: outputs }, (_, k) => this.unique(outputs === 1 ? base : `${base}:${k}`));
    this.nodes.push({ opType, inputs: [...inputs], outputs: outs, name: this.unique(`${base}_node`), attributes });
    return outs;
  }

  /** `op` with one output, returned as a string. */
  op1(opType: string, inputs: readonly string[], attributes: Record<string, OnnxAttribute> = {}): string {
    return this.op(opType, inputs, attributes, 1)[0];
  }

  /** Adds a node writing to a given output name (graph outputs). */
  opTo(opType: string, inputs: readonly string[], output: string, attributes: Record<string, OnnxAttribute> = {}): void {
    this.nodes.push({ opType, inputs: [...inputs], outputs: [output], name: this.unique(`${output}_node`), attributes });
  }

  private initializer(hint: string, dims: readonly number[], dataType: OnnxDataType, raw: Uint8Array): string {
    const name = this.unique(`${this.current || 'graph'}/${hint}`);
    this.initializers.push({ name, dims: [...dims], dataType, raw });
    return name;
  }

  /** A float32 initializer (a weight or a float constant). */
  floats(hint: string, values: Float32Array | readonly number[], dims: readonly number[]): string {
    return this.initializer(hint, dims, DataType.FLOAT, rawBytes(values instanceof Float32Array ? values : Float32Array.from(values)));
  }

  /** An int64 initializer (shapes, axes, indices for Reshape / Slice / Unsqueeze …); a 1-D list unless `dims` says otherwise. */
  int64s(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(hint, dims, DataType.INT64, rawBytes(BigInt64Array.from(values.map((v) => BigInt(v)))));
  }

  /** An int8 initializer (quantized weights). */
  int8s(hint: string, values: Int8Array, dims: readonly number[]): string {
    return this.initializer(hint, dims, DataType.INT8, rawBytes(values));
  }

  /** A float32 scalar constant. */
  scalar(hint: string, value: number): string {
    return this.floats(hint, [value], []);
  }
}
