// One save at a time per model folder. Within a process, saves into one folder are chained; across
// processes a lock file created with O_EXCL holds the saver's host, pid and a token. A lock left by
// a save that died (its process is gone, or it is this process and the token is not one of its
// live saves) is stale and taken over; a live one makes the save wait, then fail clearly.
import * as fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { NeuriteError } from '../util/errors.js';

/** The lock file's name inside a model folder. */
export const LOCK_FILE = '.neurite-save.lock';

/** How long a save waits for another process's save into the same folder before giving up. */
let WAIT_MS = 10_000;

/** Changes how long a save waits for a live lock (tests use a short wait). @internal */
export function setLockWaitMs(ms: number): void {
  WAIT_MS = ms;
}
const POLL_MS = 25;
/** An unreadable (half-written) lock older than this is stale. */
const UNREADABLE_STALE_MS = 5_000;

const liveTokens = new Set<string>();
const chains = new Map<string, Promise<unknown>>();

interface LockOwner {
  host: string;
  pid: number;
  token: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock held by `owner` (null: unreadable, with its age) belongs to a save that cannot finish. */
function isStale(owner: LockOwner | null, ageMs: number): boolean {
  if (owner === null) return ageMs > UNREADABLE_STALE_MS;
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !liveTokens.has(owner.token);
  return !isAlive(owner.pid);
}

async function readOwner(path: string): Promise<{ owner: LockOwner | null; text: string; ageMs: number } | null> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
    let owner: LockOwner | null = null;
    try {
      const v = JSON.parse(text) as LockOwner;
      if (typeof v.host === 'string' && Number.isInteger(v.pid) && typeof v.token === 'string') owner = v;
    } catch {
      owner = null;
    }
    return { owner, text, ageMs: Date.now() - stat.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Removes a stale lock whose text is `text`: renamed away first, so of two processes taking over the
 * same stale lock only one removes it, and a fresh lock renamed by mistake is put back.
 */
async function removeStale(path: string, text: string): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await fs.rename(path, aside);
  } catch {
    return;
  }
  const taken = await fs.readFile(aside, 'utf8').catch(() => text);
  if (taken !== text) await fs.link(aside, path).catch(() => undefined);
  await fs.unlink(aside).catch(() => undefined);
}

/** Takes the folder's lock file (waiting for a live holder, taking over a stale one); returns its release. */
async function lockFile(folder: string, what: string): Promise<() => Promise<void>> {
  const path = join(folder, LOCK_FILE);
  const token = randomBytes(12).toString('hex');
  const text = JSON.stringify({ host: hostname(), pid: process.pid, token });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await fs.writeFile(path, text, { flag: 'wx' });
      liveTokens.add(token);
      return async () => {
        liveTokens.delete(token);
        const now = await fs.readFile(path, 'utf8').catch(() => null);
        if (now === text) await fs.unlink(path).catch(() => undefined);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = await readOwner(path);
    if (held === null) continue;
    if (isStale(held.owner, held.ageMs)) {
      await removeStale(path, held.text);
      continue;
    }
    if (Date.now() > deadline) {
      const who = held.owner === null ? 'another process' : `process ${held.owner.pid} on ${held.owner.host}`;
      throw new NeuriteError(`${what}: another save into '${folder}' (by ${who}) has held ${LOCK_FILE} for ${WAIT_MS / 1000} s or more; nothing was written, try again when it finishes`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Runs `fn` after every earlier save this process started for `key` (a resolved path) has finished. */
export async function serializeSaves<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (chains.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
  chains.set(key, run);
  try {
    return await run;
  } finally {
    if (chains.get(key) === run) chains.delete(key);
  }
}

/** Runs `fn` while holding the lock file of `folder` (a real path) against other processes' saves. */
export async function withLockFile<T>(folder: string, what: string, fn: () => Promise<T>): Promise<T> {
  const release = await lockFile(folder, what);
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
