// Node file access for the TF.js Layers format: a directory holding model.json and the weight
// files it names.
import * as fs from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NeuriteError, ShapeError } from '../util/errors.js';
import { MODEL_FILE, ModelArtifacts, ModelJSON } from './artifacts.js';
import { parseModelJSON } from './model-json.js';
import { byteLengthOf } from './weights.js';
import { commitModelFolder } from './commit-save.js';
import { capText } from '../util/describe.js';
import { CheckedFile, checkFile, FileChanged, FileToRead, readBoundedFile, readChecked, realPathOf, reasonOf } from './safe-read.js';

/**
 * Saves a model into `dir`: its weights under a new unique name (`weights-<hex>.bin`, which the new
 * model.json's manifest names), then model.json renamed into place as the one commit point; the
 * old weights are removed afterwards. A crash at any instant leaves the old model or the new one.
 */
export async function writeModelFiles(dir: string, modelJson: ModelJSON | string, weightsBin: ArrayBuffer): Promise<void> {
  const json = typeof modelJson === 'string' ? (JSON.parse(modelJson) as ModelJSON) : modelJson;
  await commitModelFolder(dir, json, new Uint8Array(weightsBin), 'save');
}

/** The largest model.json read (topologies are kilobytes to a few megabytes; this bounds a hostile one). */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/**
 * Reads a whole regular file named by the caller (not by a file's contents), at most `maxBytes`;
 * symlinks are followed, but FIFOs, devices and directories are refused before opening.
 */
export async function readBytes(path: string, what: string, maxBytes: number = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
  return readBoundedFile({ path, folder: null, what }, maxBytes);
}

/** The model folder (a real path) and the model.json in it, for a directory or the path of a model.json. */
async function locateModel(path: string): Promise<{ folder: string; jsonPath: string }> {
  const cannot = (e: unknown): never => {
    throw new NeuriteError(capText(`loadModel: cannot open '${path}' (${reasonOf(e)}); expected a directory holding ${MODEL_FILE} or the path of a model.json`));
  };
  const real = await fs.realpath(path).catch(cannot);
  const stat = await fs.stat(real).catch(cannot);
  if (stat.isDirectory()) return { folder: real, jsonPath: join(path, MODEL_FILE) };
  return { folder: await realPathOf(dirname(path), 'loadModel'), jsonPath: path };
}

/** A weight file named in the manifest, which must stay inside the model's directory. */
function weightFilePath(dir: string, name: string, source: string): string {
  const full = resolve(dir, name);
  const rel = relative(dir, full);
  if (isAbsolute(name) || rel === '' || rel.startsWith(`..${sep}`) || rel === '..') {
    throw new NeuriteError(capText(`${source}: weight path '${name}' points outside the model's directory; only relative file names are read`));
  }
  return full;
}

/** Refuses a weight file listed twice (each shard is read once; a repeated name is a broken or hostile manifest). */
function checkUniquePaths(json: ModelJSON, folder: string, source: string): void {
  // Keyed by the resolved path, so './w.bin' and 'w.bin' count as one file.
  const seen = new Map<string, { name: string; count: number }>();
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const key = resolve(folder, p);
      const entry = seen.get(key) ?? { name: p, count: 0 };
      entry.count++;
      seen.set(key, entry);
    }
  }
  for (const { name, count } of seen.values()) {
    if (count > 1) throw new NeuriteError(capText(`${source}: the weightsManifest lists the file '${name}' ${count} times; each weight file may be listed once`));
  }
}

/** Thrown inside one attempt when a weight file vanished: a save may have replaced the model meanwhile. */
class WeightFileGone extends NeuriteError {
  constructor(
    message: string,
    /** The model.json text that named the missing file. */
    readonly text: string,
  ) {
    super(message);
  }
}

/** One attempt at reading model.json and its weight files; sizes are all checked before any weight byte is read. */
async function readOnce(folder: string, jsonPath: string): Promise<ModelArtifacts> {
  const bytes = await readBoundedFile({ path: jsonPath, folder, what: 'loadModel' }, MAX_MODEL_JSON_BYTES);
  const text = new TextDecoder().decode(bytes);
  const json = parseModelJSON(text, jsonPath);
  checkUniquePaths(json, folder, jsonPath);
  const shards: { file: FileToRead; checked: CheckedFile }[] = [];
  for (const [g, group] of json.weightsManifest.entries()) {
    let groupBytes = 0;
    for (const name of group.paths) {
      const file: FileToRead = { path: weightFilePath(folder, name, jsonPath), folder, what: `loadModel: weight file '${name}' named in ${jsonPath}` };
      const checked = await checkFile(file).catch((e: unknown) => {
        if (e instanceof NeuriteError && /\(no such file\)$/.test(e.message)) throw new WeightFileGone(e.message, text);
        throw e;
      });
      groupBytes += checked.size;
      shards.push({ file, checked });
    }
    const expected = group.weights.reduce((n, s) => n + byteLengthOf(s), 0);
    if (groupBytes !== expected) {
      throw new ShapeError(
        capText(
          `loadModel: ${group.paths.map((p) => `'${p}'`).join(' + ')} hold ${groupBytes} bytes, but weightsManifest[${g}] of ${jsonPath} ` +
            `lists ${group.weights.length} weights needing ${expected} bytes (${groupBytes < expected ? 'the file is truncated' : 'the file has extra bytes'})`,
        ),
      );
    }
  }
  const parts: Uint8Array[] = [];
  for (const s of shards) parts.push(await readChecked(s.file, s.checked));
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

/** How long a load keeps starting over while concurrent saves replace the model under it. */
const READ_RETRY_MS = 10_000;

/** A short pause between attempts, growing with their number, so a save in progress can finish. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(50, attempt * 2)));
}

/**
 * Reads a TF.js Layers model from disk: `model.json` (a directory's, or the given file) and every
 * weight file it names, relative to it. Every file's real path must stay inside the model folder
 * and be a regular file; the JSON structure and each manifest group's byte count are checked
 * against the files' sizes before any weight is read. A save committing meanwhile (its new
 * model.json naming new weights) makes the load start over, so it returns the old model or the new one.
 */
export async function readModelFiles(pathToDirOrModelJson: string): Promise<ModelArtifacts> {
  const { folder, jsonPath } = await locateModel(pathToDirOrModelJson);
  const deadline = Date.now() + READ_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    const retry = Date.now() < deadline;
    try {
      return await readOnce(folder, jsonPath);
    } catch (e) {
      // A file replaced mid-read: a save committed meanwhile, so read the new model.
      if (e instanceof FileChanged && retry) {
        await pause(attempt);
        continue;
      }
      if (!(e instanceof WeightFileGone)) throw e;
      // Start over only when model.json changed (a save committed); a file that is simply missing is an error.
      let now: Uint8Array | null = null;
      try {
        now = await readBoundedFile({ path: jsonPath, folder, what: 'loadModel' }, MAX_MODEL_JSON_BYTES);
      } catch (again) {
        if (!(again instanceof FileChanged)) throw again;
      }
      if (!retry || (now !== null && new TextDecoder().decode(now) === e.text)) throw new NeuriteError(e.message);
      await pause(attempt);
    }
  }
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
