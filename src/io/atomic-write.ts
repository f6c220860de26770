// The only place neurite writes files. A save stages every file under a temporary name in the
// target directory (same file system, so rename is atomic), fsyncs it, then renames the files
// into place in order. A file it replaces is first hard-linked to a backup name, so when a later
// step fails the earlier renames are undone and the previous files come back unchanged.
import * as fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { NeuriteError } from '../util/errors.js';

/** A file to write: its name inside the directory and its bytes (or text, written as UTF-8). */
export interface FileToWrite {
  name: string;
  data: Uint8Array | string;
}

interface Staged {
  temp: string;
  target: string;
  backup: string | null;
  renamed: boolean;
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Temp and backup files of saves still running in this process (a crashed save's files are not here). */
const liveTemps = new Set<string>();

function tempName(dir: string, name: string, kind: 'tmp' | 'bak', mine: string[]): string {
  const path = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.${kind}`);
  liveTemps.add(path);
  mine.push(path);
  return path;
}

/** Drops a finished save's temp and backup names (`mine`) from `liveTemps`. */
function forget(mine: readonly string[]): void {
  for (const path of mine) liveTemps.delete(path);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp and backup files that saves of `names` into `dir` left when their process died
 * (the pid in the name is gone, or is this process and the file belongs to no running save).
 */
async function removeStaleTemps(dir: string, names: readonly string[]): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    const m = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.(tmp|bak)$/.exec(entry);
    if (m === null || !names.includes(m[1])) continue;
    const pid = Number(m[2]);
    const path = join(dir, entry);
    const stale = pid === process.pid ? !liveTemps.has(path) : !processAlive(pid);
    if (stale) await fs.unlink(path).catch(() => undefined);
  }
}

/** Creates `dir` (and parents) if needed; a clear error when it cannot be a directory. */
export async function ensureDirectory(dir: string, what: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw new NeuriteError(`${what}: cannot create the directory '${dir}' (${reason(e)}); nothing was written`);
  }
  const stat = await fs.stat(dir).catch(() => null);
  if (stat === null || !stat.isDirectory()) {
    throw new NeuriteError(`${what}: '${dir}' exists but is not a directory; nothing was written`);
  }
}

/** Writes `data` to a new file at `path` and flushes it to disk before returning. */
async function writeSynced(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Hard-links an existing `target` to a backup name; null when there is nothing to back up. */
async function backUp(target: string, dir: string, mine: string[]): Promise<string | null> {
  const backup = tempName(dir, basename(target), 'bak', mine);
  try {
    await fs.link(target, backup);
    return backup;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // NOTE: some file systems have no hard links; a copy keeps the same guarantee, only slower.
    if ((e as NodeJS.ErrnoException).code === 'EPERM' || (e as NodeJS.ErrnoException).code === 'ENOTSUP') {
      const stat = await fs.stat(target);
      if (stat.isFile()) {
        await fs.copyFile(target, backup);
        return backup;
      }
    }
    throw e;
  }
}

/** Puts back what the renames replaced and removes everything staged; never throws. */
async function rollBack(staged: Staged[]): Promise<void> {
  for (const s of [...staged].reverse()) {
    if (s.renamed) {
      await (s.backup !== null ? fs.rename(s.backup, s.target) : fs.unlink(s.target)).catch(() => undefined);
      s.backup = null;
    }
    await fs.unlink(s.temp).catch(() => undefined);
    if (s.backup !== null) await fs.unlink(s.backup).catch(() => undefined);
  }
}

/** Best effort: makes the renames themselves durable (not possible on every platform). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => null);
  if (handle === null) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

/**
 * Writes `files` into `dir` (created if needed) all or nothing: temporary names, fsync, then
 * renames in the given order. On any error the directory is left as it was and a NeuriteError
 * names `what` (the operation) and the cause.
 */
export async function writeFilesAtomically(dir: string, files: readonly FileToWrite[], what: string): Promise<void> {
  await ensureDirectory(dir, what);
  await removeStaleTemps(dir, files.map((f) => f.name));
  const staged: Staged[] = [];
  const mine: string[] = [];
  try {
    for (const f of files) {
      const s: Staged = { temp: tempName(dir, f.name, 'tmp', mine), target: join(dir, f.name), backup: null, renamed: false };
      staged.push(s);
      await writeSynced(s.temp, f.data);
    }
    for (const s of staged) {
      s.backup = await backUp(s.target, dir, mine);
      await fs.rename(s.temp, s.target);
      s.renamed = true;
    }
  } catch (e) {
    await rollBack(staged);
    forget(mine);
    throw new NeuriteError(`${what}: could not write ${files.map((f) => `'${f.name}'`).join(', ')} in '${dir}' (${reason(e)}); previous files were left unchanged`);
  }
  for (const s of staged) if (s.backup !== null) await fs.unlink(s.backup).catch(() => undefined);
  forget(mine);
  await syncDirectory(dir);
}

/** Writes one file atomically (temporary name, fsync, rename); its directory is created if needed. */
export async function writeFileAtomically(path: string, data: Uint8Array | string, what: string): Promise<void> {
  await writeFilesAtomically(dirname(path), [{ name: basename(path), data }], what);
}
