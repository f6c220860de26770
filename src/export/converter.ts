import type { Layer } from '../layers/layer.js';
import type { SymbolicShape } from '../graph/symbolic-tensor.js';
import { OnnxBuilder, OnnxExportError } from './builder.js';

/** What a layer converter receives: the builder, the layer, its Keras config and its ONNX inputs. */
export interface ConvertArgs {
  b: OnnxBuilder;
  layer: Layer;
  /** `layer.getConfig()`: Keras snake_case hyper-parameters. */
  config: Record<string, unknown>;
  /** ONNX tensor names of the node's inputs, in the layer's order. */
  inputs: string[];
  /** ONNX names of the masks of the data inputs (float [batch, steps]), null where none. */
  masks: (string | null)[];
  /** Keras shapes (batch `null`) of those inputs. */
  inputShapes: SymbolicShape[];
  /** Keras shapes of the node's outputs. */
  outputShapes: SymbolicShape[];
}

/** Turns one call of a layer into ONNX nodes and returns the names of its outputs. */
export type Converter = (a: ConvertArgs) => string[];

/** A config value as a number (throws naming the layer when it is not one). */
export function cfgNum(a: ConvertArgs, key: string): number {
  const v = a.config[key];
  if (typeof v !== 'number') throw new OnnxExportError(`exportOnnx: layer '${a.layer.name}' (${a.layer.className}): expected a number for '${key}', found ${JSON.stringify(v)}`);
  return v;
}

/** A config value as a list of numbers (a single number becomes a list of `n`). */
export function cfgInts(a: ConvertArgs, key: string, n: number): number[] {
  const v = a.config[key];
  if (typeof v === 'number') return Array.from({ length: n }, () => v);
  if (Array.isArray(v) && v.every((e) => typeof e === 'number')) return v as number[];
  throw new OnnxExportError(`exportOnnx: layer '${a.layer.name}' (${a.layer.className}): expected numbers for '${key}', found ${JSON.stringify(v)}`);
}

/** Throws that an option of a layer has no ONNX form. */
export function unsupported(a: ConvertArgs, what: string): never {
  throw new OnnxExportError(`exportOnnx: layer '${a.layer.name}' (${a.layer.className}) cannot be exported: ${what}`);
}

/** The layer's current weights (copies), in Keras order. */
export function weightsOf(a: ConvertArgs): { data: Float32Array; shape: number[] }[] {
  return a.layer.getWeights().map((w) => ({ data: w.data, shape: [...w.shape] }));
}

/** The layer's weights by their short name (`gamma`, `moving_mean`, `forward_lstm/kernel` → `kernel` with a prefix filter). */
export function namedWeightsOf(a: ConvertArgs, prefix = ''): Map<string, { data: Float32Array; shape: number[] }> {
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const w of a.layer.namedWeights()) {
    if (!w.name.startsWith(prefix)) continue;
    out.set(w.name.slice(prefix.length), { data: Float32Array.from(w.value.data), shape: [...w.value.shape] });
  }
  return out;
}
