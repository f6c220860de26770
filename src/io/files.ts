// Node file access for the TF.js Layers format: a directory holding model.json and the weight
// files it names.
import * as fs from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NeuriteError, ShapeError } from '../util/errors.js';
import { MODEL_FILE, ModelArtifacts, ModelJSON, WEIGHTS_FILE } from './artifacts.js';
import { parseModelJSON } from './model-json.js';
import { byteLengthOf } from './weights.js';
import { writeFilesAtomically } from './atomic-write.js';

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
}

/**
 * Saves a model as `dir/weights.bin` then `dir/model.json` (in that order, so a reader never sees a
 * model.json without its weights), each staged, fsynced and renamed; on error nothing changes.
 */
export async function writeModelFiles(dir: string, modelJson: ModelJSON | string, weightsBin: ArrayBuffer): Promise<void> {
  const text = typeof modelJson === 'string' ? modelJson : JSON.stringify(modelJson);
  await writeFilesAtomically(
    dir,
    [
      { name: WEIGHTS_FILE, data: new Uint8Array(weightsBin) },
      { name: MODEL_FILE, data: text },
    ],
    'save',
  );
}

/** Reads a file whole, with a message saying what it was for when it cannot be read. */
export async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(path);
  } catch (e) {
    throw new NeuriteError(`${what}: cannot read '${path}' (${reason(e)})`);
  }
}

/** `model.json` for a directory, the path itself for a file. */
async function modelJsonPath(path: string): Promise<string> {
  const stat = await fs.stat(path).catch((e: unknown) => {
    throw new NeuriteError(`loadModel: cannot open '${path}' (${reason(e)}); expected a directory holding ${MODEL_FILE} or the path of a model.json`);
  });
  return stat.isDirectory() ? join(path, MODEL_FILE) : path;
}

/** A weight file named in the manifest, which must stay inside the model's directory. */
function weightFilePath(dir: string, name: string, source: string): string {
  const full = resolve(dir, name);
  const rel = relative(dir, full);
  if (isAbsolute(name) || rel === '' || rel.startsWith(`..${sep}`) || rel === '..') {
    throw new NeuriteError(`${source}: weight path '${name}' points outside the model's directory; only relative file names are read`);
  }
  return full;
}

/**
 * Reads a TF.js Layers model from disk: `model.json` (a directory's, or the given file) and every
 * weight file it names, relative to it. Checks the JSON structure and that each manifest group's
 * weights fill its files exactly; returns the in-memory artifacts.
 */
export async function readModelFiles(pathToDirOrModelJson: string): Promise<ModelArtifacts> {
  const jsonPath = await modelJsonPath(pathToDirOrModelJson);
  const text = new TextDecoder().decode(await readBytes(jsonPath, 'loadModel'));
  const json = parseModelJSON(text, jsonPath);
  const dir = dirname(jsonPath);
  const parts: Uint8Array[] = [];
  for (const [g, group] of json.weightsManifest.entries()) {
    let groupBytes = 0;
    for (const name of group.paths) {
      const path = weightFilePath(dir, name, jsonPath);
      const bytes = await readBytes(path, `loadModel: weight file '${name}' named in ${jsonPath}`);
      groupBytes += bytes.byteLength;
      parts.push(bytes);
    }
    const expected = group.weights.reduce((n, s) => n + byteLengthOf(s), 0);
    if (groupBytes !== expected) {
      throw new ShapeError(
        `loadModel: ${group.paths.map((p) => `'${p}'`).join(' + ')} hold ${groupBytes} bytes, but weightsManifest[${g}] of ${jsonPath} ` +
          `lists ${group.weights.length} weights needing ${expected} bytes (${groupBytes < expected ? 'the file is truncated' : 'the file has extra bytes'})`,
      );
    }
  }
  const artifacts: ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: concat(parts),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  };
  if (json.trainingConfig !== undefined) artifacts.trainingConfig = json.trainingConfig;
  return artifacts;
}

function concat(parts: readonly Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out.buffer;
}
