import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NeuriteError } from '../../src/util/errors.js';
import { writeFileAtomically, writeFilesAtomically } from '../../src/io/atomic-write.js';

// Failures are injected into node:fs/promises as the code under test sees it: a predicate on the
// path decides which call fails, with the errno a real disk would give.
const inject = vi.hoisted(() => ({
  rename: null as null | ((to: string) => boolean),
  open: null as null | ((path: string) => boolean),
  sync: null as null | ((path: string) => boolean),
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const errno = (code: string) => Object.assign(new Error(`${code}: injected failure`), { code });
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (inject.rename?.(to)) throw errno('EIO');
      return real.rename(from, to);
    },
    open: async (path: string, flags?: string) => {
      if (inject.open?.(path)) throw errno('ENOSPC');
      const handle = await real.open(path, flags);
      if (!inject.sync?.(path)) return handle;
      return {
        writeFile: (data: Uint8Array | string) => handle.writeFile(data),
        sync: async () => {
          throw errno('EIO');
        },
        close: () => handle.close(),
      };
    },
  };
});

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-atomic-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  inject.rename = inject.open = inject.sync = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A directory holding a previous save: a.bin and b.json with known contents. */
function previousSave(): string {
  const dir = freshDir();
  writeFileSync(join(dir, 'a.bin'), 'old weights');
  writeFileSync(join(dir, 'b.json'), 'old json');
  return dir;
}

function expectPreviousIntact(dir: string): void {
  expect(readdirSync(dir).sort()).toEqual(['a.bin', 'b.json']);
  expect(readFileSync(join(dir, 'a.bin'), 'utf8')).toBe('old weights');
  expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('old json');
}

const NEW = [
  { name: 'a.bin', data: new Uint8Array([1, 2, 3]) },
  { name: 'b.json', data: 'new json' },
];

describe('writeFilesAtomically under injected failures', () => {
  it('writes all files when nothing fails (the mock passes through)', async () => {
    const dir = previousSave();
    await writeFilesAtomically(dir, NEW, 'save');
    expect(readdirSync(dir).sort()).toEqual(['a.bin', 'b.json']);
    expect([...readFileSync(join(dir, 'a.bin'))]).toEqual([1, 2, 3]);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('new json');
  });

  it('the second rename fails after the first succeeded: the first is rolled back', async () => {
    const dir = previousSave();
    inject.rename = (to) => to.endsWith('b.json');
    const save = writeFilesAtomically(dir, NEW, 'save');
    await expect(save).rejects.toThrow(NeuriteError);
    await expect(writeFilesAtomically(dir, NEW, 'save')).rejects.toThrow(/save: could not write 'a\.bin', 'b\.json'.*EIO: injected failure.*left unchanged/);
    expectPreviousIntact(dir);
  });

  it('the disk fills up while staging the second file', async () => {
    const dir = previousSave();
    inject.open = (path) => path.includes('.b.json.');
    await expect(writeFilesAtomically(dir, NEW, 'save')).rejects.toThrow(/ENOSPC/);
    expectPreviousIntact(dir);
  });

  it('fsync of a staged file fails', async () => {
    const dir = previousSave();
    inject.sync = (path) => path.includes('.a.bin.');
    await expect(writeFilesAtomically(dir, NEW, 'save')).rejects.toThrow(/EIO/);
    expectPreviousIntact(dir);
  });

  it('a failed first save into a fresh directory leaves nothing behind', async () => {
    const dir = freshDir();
    inject.rename = (to) => to.endsWith('b.json');
    await expect(writeFilesAtomically(dir, NEW, 'save')).rejects.toThrow(NeuriteError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a single file is replaced whole or not at all', async () => {
    const dir = previousSave();
    inject.rename = () => true;
    await expect(writeFileAtomically(join(dir, 'a.bin'), 'new', 'saveWeights')).rejects.toThrow(/saveWeights: could not write 'a\.bin'/);
    expectPreviousIntact(dir);
    inject.rename = null;
    await writeFileAtomically(join(dir, 'a.bin'), 'new', 'saveWeights');
    expect(readFileSync(join(dir, 'a.bin'), 'utf8')).toBe('new');
  });
});
