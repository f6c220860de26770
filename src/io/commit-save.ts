// Saving a model folder (model.json + one weights file) with a single commit point. The weights go
// to a new, uniquely named file that only the new model.json names; both are fsynced; then the
// rename of model.json into place is the commit. A crash before it leaves the old model.json and
// its weights untouched, after it the new pair complete; a reader never sees a mix. The old
// weights, and anything a crashed save left (temp files, unreferenced weights), are removed after
// the commit, under the folder's save lock (src/io/save-lock.ts).
import * as fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { NeuriteError } from '../util/errors.js';
import { capText } from '../util/describe.js';
import { MODEL_FILE, ModelJSON } from './artifacts.js';
import { ensureDirectory, syncDirectory } from './atomic-write.js';
import { serializeSaves, withLockFile } from './save-lock.js';
import { isInside, reasonOf } from './safe-read.js';

/** Names neurite gives weights files (`weights-<hex>.bin`) and its staged model.json. */
const WEIGHTS_NAME = /^weights-[0-9a-f]{16}\.bin$/;
const TEMP_NAME = /^\.model\.json\.[0-9a-f]{16}\.tmp$/;

/**
 * A test hook called before each file-system step of a save with the step's name; when it throws,
 * the save stops there as if the process had died (the fault-injection harness in tests/io).
 * @internal
 */
export let saveStepHook: ((step: string) => void | Promise<void>) | null = null;

/** Installs (or with null removes) the step hook. @internal */
export function setSaveStepHook(hook: ((step: string) => void | Promise<void>) | null): void {
  saveStepHook = hook;
}

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (saveStepHook !== null) await saveStepHook(name);
  return fn();
}

async function writeSynced(path: string, data: Uint8Array | string, name: string): Promise<void> {
  const handle = await step(`open ${name}`, () => fs.open(path, 'wx'));
  try {
    await step(`write ${name}`, () => handle.writeFile(data));
    await step(`fsync ${name}`, () => handle.sync());
  } finally {
    await handle.close();
  }
}

/**
 * The weight files the model.json in `folder` names: empty when there is no model.json, null when
 * it cannot be read or understood (then no weights file is treated as unreferenced).
 */
async function referencedFiles(folder: string): Promise<string[] | null> {
  let text: string;
  try {
    text = await fs.readFile(join(folder, MODEL_FILE), 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? [] : null;
  }
  try {
    const json = JSON.parse(text) as ModelJSON;
    if (!Array.isArray(json?.weightsManifest)) return null;
    return json.weightsManifest.flatMap((g) => (Array.isArray(g?.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : []));
  } catch {
    return null;
  }
}

/** Removes the regular file `name` in `folder` if it stays inside it; never follows a path out. */
async function removeInside(folder: string, name: string): Promise<void> {
  const path = join(folder, name);
  if (!isInside(folder, path) || path === join(folder, MODEL_FILE)) return;
  const stat = await fs.lstat(path).catch(() => null);
  if (stat !== null && stat.isFile()) await step(`remove ${name}`, () => fs.unlink(path)).catch(() => undefined);
}

/**
 * Removes what earlier saves that died left: staged model.json files, and weights files the current
 * model.json does not name (`keep`; null when it is unreadable: then weights files are all kept).
 */
async function removeLeftovers(folder: string, keep: readonly string[] | null): Promise<void> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (TEMP_NAME.test(name) || (keep !== null && WEIGHTS_NAME.test(name) && !keep.includes(name))) await removeInside(folder, name);
  }
}

/**
 * Saves `modelJson` (its one manifest group's `paths` are set here) and `weights` into `dir`,
 * created if needed, with one commit point; `what` names the operation in errors.
 */
export async function commitModelFolder(dir: string, modelJson: ModelJSON, weights: Uint8Array, what: string): Promise<void> {
  if (modelJson.weightsManifest.length !== 1) {
    throw new NeuriteError(`${what}: expected one weights manifest group (all weights in one file), received ${modelJson.weightsManifest.length}`);
  }
  // Queued by the path as given, synchronously, so saves from this process commit in call order.
  await serializeSaves(resolve(dir), async () => {
    await ensureDirectory(dir, what);
    const folder = await fs.realpath(dir);
    await withLockFile(folder, what, () => commitLocked(dir, folder, modelJson, weights, what));
  });
}

/** The save itself, with the folder's lock held. */
async function commitLocked(dir: string, folder: string, modelJson: ModelJSON, weights: Uint8Array, what: string): Promise<void> {
  const listed = await referencedFiles(folder);
  await removeLeftovers(folder, listed);
  const previous = listed ?? [];
  const id = randomBytes(8).toString('hex');
  const weightsName = `weights-${id}.bin`;
  const temp = join(folder, `.model.json.${id}.tmp`);
  const json: ModelJSON = { ...modelJson, weightsManifest: [{ ...modelJson.weightsManifest[0], paths: [weightsName] }] };
  try {
    await writeSynced(join(folder, weightsName), weights, weightsName);
    await writeSynced(temp, JSON.stringify(json), 'model.json (staged)');
    await step('fsync folder', () => syncDirectory(folder));
    await step('rename model.json (commit)', () => fs.rename(temp, join(folder, MODEL_FILE)));
  } catch (e) {
    // Not committed: the previous model is untouched; remove what this save wrote.
    await step('remove staged model.json', () => fs.unlink(temp)).catch(() => undefined);
    await step(`remove ${weightsName}`, () => fs.unlink(join(folder, weightsName))).catch(() => undefined);
    throw new NeuriteError(capText(`${what}: could not write the model into '${dir}' (${reasonOf(e)}); the previous model.json and weights were left unchanged`));
  }
  // Committed. What follows only tidies up; a failure here leaves a complete new model.
  await step('fsync folder (after commit)', () => syncDirectory(folder)).catch(() => undefined);
  for (const name of previous) if (name !== weightsName) await removeInside(folder, name);
}
