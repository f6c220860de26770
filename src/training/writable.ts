import * as fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { NeuriteError } from '../util/errors.js';

/**
 * Makes sure files can be written in folder `dir` (created if missing) by writing and removing a probe
 * file there: a callback fails at the start of training, not after an hour of it. `owner` names the caller.
 */
export async function ensureWritableDir(dir: string, owner: string): Promise<void> {
  const probe = join(dir, `.neurite-probe-${randomBytes(6).toString('hex')}`);
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
  } catch (e) {
    throw new NeuriteError(`${owner}: cannot write in folder '${resolve(dir)}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable path`);
  }
}

/** Writes `data` to `path` through a temporary file in the same folder and a rename, so a crash never leaves half a file. */
export async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
