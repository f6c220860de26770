// Reading a neurite weights file (`loadWeights`) without trusting it: the header is read first, and
// the file's size must equal what the header declares before the weight data is read.
import * as fs from 'node:fs/promises';
import { NeuriteError } from '../util/errors.js';
import { capText } from '../util/describe.js';
import { checkFile, FileChanged, OPEN_FLAGS, readChecked, reasonOf } from './safe-read.js';
import { declaredWeightsFileSize, WEIGHTS_FILE_PREFIX } from './weights-file.js';

/** The most header bytes read before the file's size is checked (headers list names and shapes: kilobytes). */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

/** Reads up to `length` bytes from the start of the file at `real`. */
async function readHead(real: string, length: number): Promise<Uint8Array> {
  const handle = await fs.open(real, OPEN_FLAGS);
  try {
    const out = new Uint8Array(length);
    let offset = 0;
    while (offset < length) {
      const { bytesRead } = await handle.read(out, offset, length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return out.subarray(0, offset);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The bytes of the weights file at `path` (any location; symlinks followed) once it is known to be a
 * regular file whose size matches its header; `what` starts every message.
 */
export async function readWeightsFileBytes(path: string, what: string): Promise<Uint8Array> {
  // A saveWeights renaming a new file into place meanwhile makes the read start over (old or new, never a mix).
  const deadline = Date.now() + READ_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await readOnce(path, what);
    } catch (e) {
      if (!(e instanceof FileChanged) || Date.now() >= deadline) throw e;
      // A short pause, growing with the attempts, so a save in progress can finish.
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, attempt * 2)));
    }
  }
}

/** How long a read keeps starting over while the file is replaced under it. */
const READ_RETRY_MS = 10_000;

async function readOnce(path: string, what: string): Promise<Uint8Array> {
  const file = { path, folder: null, what };
  const checked = await checkFile(file);
  const prefix = await readHead(checked.real, Math.min(checked.size, WEIGHTS_FILE_PREFIX)).catch((e: unknown) => {
    throw new NeuriteError(capText(`${what}: cannot read '${path}' (${reasonOf(e)})`));
  });
  // Too short for a prefix: the decoder reports what is wrong from the few bytes there are.
  if (prefix.byteLength < WEIGHTS_FILE_PREFIX) return readChecked(file, checked);
  const headerLength = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength).getUint32(WEIGHTS_FILE_PREFIX - 4, true);
  if (headerLength > MAX_HEADER_BYTES || WEIGHTS_FILE_PREFIX + headerLength > checked.size) {
    declaredWeightsFileSize(prefix, path); // a foreign file fails here with what it looks like
    throw new NeuriteError(capText(`${path}: truncated or damaged: the header declares ${headerLength} bytes, the file has ${checked.size - WEIGHTS_FILE_PREFIX} after the prefix`));
  }
  const head = await readHead(checked.real, WEIGHTS_FILE_PREFIX + headerLength);
  const declared = declaredWeightsFileSize(head, path);
  if (declared !== null && declared !== checked.size) {
    throw new NeuriteError(
      capText(`${path}: the header's weights need a file of ${declared} bytes, but it has ${checked.size} (${checked.size < declared ? 'truncated' : 'extra bytes'}); the file is damaged`),
    );
  }
  return readChecked(file, checked);
}
