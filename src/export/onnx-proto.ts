// The parts of onnx.proto an exported model uses, as plain objects, and their encoding. Field
// numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
// TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;
/** One of the ONNX element types above. */
export type OnnxDataType = (typeof DataType)[keyof typeof DataType];

/** An attribute value: a number is an int unless listed in `floats` of the node, see `OnnxAttribute`. */
export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensor'; value: OnnxTensor };

/** A NodeProto: one operator call. */
export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes: Record<string, OnnxAttribute>;
}

/** A TensorProto with its values as little-endian raw bytes. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: OnnxDataType;
  raw: Uint8Array;
}

/** A ValueInfoProto for a graph input or output: name, element type and dims (a string is a symbolic dim). */
export interface OnnxValueInfo {
  name: string;
  dataType: OnnxDataType;
  dims: (number | string)[];
}

/** A GraphProto. */
export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

/** A ModelProto with one operator set (the default domain). */
export interface OnnxModel {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  graph: OnnxGraph;
  docString?: string;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  if (t.dims.length > 0) w.packedInts(1, t.dims);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function writeAttribute(w: ProtoWriter, name: string, a: OnnxAttribute): void {
  w.string(1, name);
  w.int(20, ATTRIBUTE_TYPE[a.kind]);
  switch (a.kind) {
    case 'float':
      return w.float(2, a.value);
    case 'int':
      return w.int(3, a.value);
    case 'string':
      return w.string(4, a.value);
    case 'tensor':
      return w.message(5, (c) => writeTensor(c, a.value));
    case 'floats':
      return w.packedFloats(7, a.value);
    case 'ints':
      return w.packedInts(8, a.value);
    case 'strings':
      for (const v of a.value) w.string(9, v);
      return;
  }
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes)) w.message(5, (c) => writeAttribute(c, name, a));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeGraph(w: ProtoWriter, g: OnnxGraph): void {
  for (const n of g.nodes) w.message(1, (c) => writeNode(c, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (c) => writeTensor(c, t));
  for (const v of g.inputs) w.message(11, (c) => writeValueInfo(c, v));
  for (const v of g.outputs) w.message(12, (c) => writeValueInfo(c, v));
}

/** Encodes a model to the bytes of an `.onnx` file. */
export function encodeModel(m: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, m.irVersion);
  w.string(2, m.producerName);
  w.string(3, m.producerVersion);
  if (m.docString !== undefined) w.string(6, m.docString);
  w.message(7, (c) => writeGraph(c, m.graph));
  w.message(8, (c) => {
    c.string(1, '');
    c.int(2, m.opset);
  });
  return w.finish();
}
