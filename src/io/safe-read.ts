// Reading files that may come from the internet: every path is resolved to its real location and
// must stay inside the folder it belongs to, only regular files are opened (a FIFO or a device
// would block or never end), a file's size is checked before a byte is read, and reads are bounded
// by that size, so neither a symlink, /dev/zero nor a sparse 1 TB file can take the process with it.
import * as fs from 'node:fs/promises';
import { constants } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { NeuriteError } from '../util/errors.js';
import { capText } from '../util/describe.js';

/** What a file is, for messages about non-regular files. */
function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why a file system call failed, in words. */
export function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return e instanceof Error ? e.message : String(e);
}

/** True when the real path `child` is `folder` itself or inside it. */
export function isInside(folder: string, child: string): boolean {
  const rel = relative(folder, child);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** The real path (symlinks resolved) of `path`; a NeuriteError saying `what` when it cannot be resolved. */
export async function realPathOf(path: string, what: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (e) {
    throw new NeuriteError(capText(`${what}: cannot read '${path}' (${reasonOf(e)})`));
  }
}

/** Where a file to read lives and what bounds its size. */
export interface FileToRead {
  /** The path as named (for messages). */
  path: string;
  /** The folder the real path must stay inside (itself a real path), or null for no constraint. */
  folder: string | null;
  /** What the file is for, starting every message (`loadModel: weight file 'weights.bin'`). */
  what: string;
}

/** The real path and size of a regular file, checked before it is opened. */
export interface CheckedFile {
  real: string;
  size: number;
  dev: number;
  ino: number;
}

/**
 * Resolves `file` and checks it without opening it: the real path must lie inside `file.folder`
 * and be a regular file. Returns its real path and size, so sizes can be compared with a manifest
 * before any byte is read.
 */
export async function checkFile(file: FileToRead): Promise<CheckedFile> {
  const real = await realPathOf(file.path, file.what);
  if (file.folder !== null && !isInside(file.folder, real)) {
    throw new NeuriteError(capText(`${file.what}: '${file.path}' resolves to '${real}', outside the model folder '${file.folder}'; files (and symlinks) must stay inside it`));
  }
  const stat = await fs.lstat(real).catch((e: unknown) => {
    throw new NeuriteError(capText(`${file.what}: cannot read '${file.path}' (${reasonOf(e)})`));
  });
  if (!stat.isFile()) throw new NeuriteError(capText(`${file.what}: '${file.path}' is ${kindOf(stat)}; only regular files are read`));
  return { real, size: stat.size, dev: stat.dev, ino: stat.ino };
}

/** A file changed between its check and its read (a save replacing it, typically): worth reading again. */
export class FileChanged extends NeuriteError {}

/** O_NOFOLLOW and O_NONBLOCK where the platform has them: a swapped-in symlink or FIFO cannot block the open. */
export const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a file checked by `checkFile`, exactly `checked.size` bytes: the open refuses a symlink or
 * FIFO put in its place since the check, the handle must still be the same file, and a file that
 * shrank or grew meanwhile is an error rather than a short or unbounded read.
 */
export async function readChecked(file: FileToRead, checked: CheckedFile): Promise<Uint8Array> {
  const fail = (why: string): never => {
    throw new NeuriteError(capText(`${file.what}: cannot read '${file.path}' (${why})`));
  };
  const handle = await fs.open(checked.real, OPEN_FLAGS).catch((e: unknown) => {
    // Gone since the check (a save removed it): the caller may read again.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FileChanged(capText(`${file.what}: '${file.path}' was removed while it was being read`));
    return fail(reasonOf(e));
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) fail('it is no longer a regular file');
    if (stat.dev !== checked.dev || stat.ino !== checked.ino || stat.size !== checked.size) {
      throw new FileChanged(capText(`${file.what}: '${file.path}' was replaced or changed size while it was being read`));
    }
    const out = new Uint8Array(checked.size);
    let offset = 0;
    while (offset < out.length) {
      const { bytesRead } = await handle.read(out, offset, out.length - offset, offset);
      if (bytesRead === 0) throw new FileChanged(capText(`${file.what}: '${file.path}' ended after ${offset} of ${checked.size} bytes while it was being read`));
      offset += bytesRead;
    }
    const probe = new Uint8Array(1);
    if ((await handle.read(probe, 0, 1, offset)).bytesRead !== 0) throw new FileChanged(capText(`${file.what}: '${file.path}' grew past ${checked.size} bytes while it was being read`));
    return out;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads a whole regular file of at most `maxBytes` bytes (checked before reading); `file.folder`
 * bounds where its real path may lead.
 * @example const bytes = await readBoundedFile({ path, folder: null, what: 'loadWeights' }, 1 << 30);
 */
export async function readBoundedFile(file: FileToRead, maxBytes: number): Promise<Uint8Array> {
  const checked = await checkFile(file);
  if (checked.size > maxBytes) {
    throw new NeuriteError(capText(`${file.what}: '${file.path}' has ${checked.size} bytes, more than the ${maxBytes} bytes accepted for it`));
  }
  return readChecked(file, checked);
}
