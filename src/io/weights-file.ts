// neurite's own weights file, for `saveWeights` / `loadWeights` on any model (subclassed ones have no
// Keras topology to put in a model.json). One self-describing file, so a single atomic rename
// saves it:
//   bytes 0-7   the magic "NEURITEW"
//   bytes 8-11  header length H, uint32 little-endian
//   next H      UTF-8 JSON header { format, version, layers: [{ name, class_name }], weights: [specs] },
//               space-padded so the data starts at a multiple of 4
//   the rest    the weight values exactly as in a TF.js weights.bin (little-endian, spec order)
import { NeuriteError } from '../util/errors.js';
import { WeightSpec } from './artifacts.js';
import { byteLengthOf, decodeWeights, encodeWeights, NamedWeight, validateWeightSpec } from './weights.js';
import { capText } from '../util/describe.js';
import { checkJsonDepth } from '../util/limits.js';
import { describeValue } from '../util/describe.js';

const MAGIC = 'NEURITEW';
const PREFIX = MAGIC.length + 4;

/** The `format` written in the header. */
export const WEIGHTS_FILE_FORMAT = 'neurite-weights';

/** A layer as the header records it, so a reader can match weights by layer. */
export interface LayerEntry {
  name: string;
  class_name: string;
}

/** The contents of a weights file. */
export interface WeightsFileContents {
  layers: LayerEntry[];
  weights: NamedWeight[];
}

/** Serializes weights (named `layer/weight`) and the model's layer list into one file's bytes. */
export function encodeWeightsFile(contents: WeightsFileContents): Uint8Array {
  const { specs, data } = encodeWeights(contents.weights);
  const header = { format: WEIGHTS_FILE_FORMAT, version: 1, layers: contents.layers, weights: specs };
  let text = JSON.stringify(header);
  const utf8 = new TextEncoder();
  while ((PREFIX + utf8.encode(text).byteLength) % 4 !== 0) text += ' ';
  const headerBytes = utf8.encode(text);
  const out = new Uint8Array(PREFIX + headerBytes.byteLength + data.byteLength);
  out.set(utf8.encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.byteLength, true);
  out.set(headerBytes, PREFIX);
  out.set(new Uint8Array(data), PREFIX + headerBytes.byteLength);
  return out;
}

/** The JSON header of a weights file, parsed and checked for depth (file contents may be hostile). */
function parseHeader(bytes: Uint8Array, source: string): Record<string, unknown> {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new NeuriteError(capText(`${source}: the header is not valid JSON (${(e as Error).message})`));
  }
  checkJsonDepth(header, `${source}: the header`);
  return header;
}

/**
 * The total size a weights file must have, from its first bytes (`head`: the prefix and as much of
 * the header as was read): null when `head` is too short to tell. Lets a reader compare the file's
 * size with what its header declares before reading the data. Throws on a malformed prefix or header.
 */
export function declaredWeightsFileSize(head: Uint8Array, source: string): number | null {
  if (head.byteLength < PREFIX) return null;
  if (new TextDecoder().decode(head.subarray(0, MAGIC.length)) !== MAGIC) decodeWeightsFile(head, source);
  const headerLength = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(MAGIC.length, true);
  if (head.byteLength < PREFIX + headerLength) return null;
  const header = parseHeader(head.subarray(PREFIX, PREFIX + headerLength), source);
  if (!Array.isArray(header.weights)) return null;
  const specs = header.weights.map((w, i) => validateWeightSpec(w, `${source}: weight ${i}`));
  return PREFIX + headerLength + specs.reduce((n, spec) => n + byteLengthOf(spec), 0);
}

/** Bytes before the header text: the magic and the header length. */
export const WEIGHTS_FILE_PREFIX = PREFIX;

/** Parses and validates a weights file (magic, header, every spec, exact byte count); `source` names it in errors. */
export function decodeWeightsFile(bytes: Uint8Array, source: string): WeightsFileContents {
  const fail = (what: string): never => {
    throw new NeuriteError(`${source}: ${what}`);
  };
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (bytes.byteLength < PREFIX || magic !== MAGIC) {
    const hint = magic.startsWith('{') ? ' (this looks like a JSON file; use loadModel for a model.json)' : '';
    fail(`not a neurite weights file: it does not start with "${MAGIC}"${hint}`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  if (PREFIX + headerLength > bytes.byteLength) fail(`truncated: the header needs ${headerLength} bytes, the file has ${bytes.byteLength - PREFIX} after the prefix`);
  const header = parseHeader(bytes.subarray(PREFIX, PREFIX + headerLength), source);
  if (header === null || typeof header !== 'object' || header.format !== WEIGHTS_FILE_FORMAT) {
    fail(`expected header format '${WEIGHTS_FILE_FORMAT}', received ${describeValue(header?.format)}`);
  }
  if (header.version !== 1) fail(`unsupported version ${describeValue(header.version)}; this neurite reads version 1`);
  if (!Array.isArray(header.weights)) fail('the header has no "weights" list');
  const layers = header.layers;
  if (!Array.isArray(layers) || layers.some((l) => typeof l?.name !== 'string' || typeof l?.class_name !== 'string')) {
    fail(`expected "layers" to be a list of { name, class_name }, received ${describeValue(layers)}`);
  }
  // Copy the data into its own buffer: `bytes` may be a view into a larger one (Node's Buffer pool),
  // whose `slice` would not copy.
  const data = new Uint8Array(bytes.subarray(PREFIX + headerLength)).buffer;
  const weights = decodeWeights(header.weights as WeightSpec[], data, source);
  return { layers: (layers as LayerEntry[]).map((l) => ({ name: l.name, class_name: l.class_name })), weights };
}
