// Fault-injection harness for save(dir): a save stopped after each of its file-system steps, and a
// child process killed with SIGKILL at random moments while it saves, each followed by a load that
// must give the old model or the new one — never a mix, never an error.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import seedrandom from 'seedrandom';
import { build } from 'esbuild';
import { loadModel } from '../../src/models/load-model.js';
import { setSaveStepHook } from '../../src/io/commit-save.js';
import { LOCK_FILE, setLockWaitMs } from '../../src/io/save-lock.js';
import { modelA, modelB, whichModel } from './crash-models.js';
import { Tensor } from '../../src/tensor/tensor.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-crash-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => setSaveStepHook(null));
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** After a clean save, the folder holds model.json and the one weights file it names: nothing else. */
function expectTidy(dir: string): void {
  const names = readdirSync(dir).sort();
  expect(names).toHaveLength(2);
  expect(names[0]).toBe('model.json');
  expect(names[1]).toMatch(/^weights-[0-9a-f]{16}\.bin$/);
}

class SimulatedCrash extends Error {}

describe('save(dir) stopped after each file-system step', () => {
  it('every stop leaves the old model (before the commit) or the new one (after it), and the next save tidies up', async () => {
    const steps: string[] = [];
    const probe = freshDir();
    await modelA().save(probe);
    setSaveStepHook((s) => void steps.push(s));
    await modelB().save(probe);
    setSaveStepHook(null);
    const commit = steps.indexOf('rename model.json (commit)');
    expect(commit).toBeGreaterThan(3);
    expect(steps.length).toBeGreaterThan(commit + 1);

    for (let k = 0; k <= steps.length; k++) {
      const dir = freshDir();
      await modelA().save(dir);
      // From step k on, every file-system call of the save fails, as if the process had died there.
      let calls = 0;
      setSaveStepHook(() => {
        if (calls++ >= k) throw new SimulatedCrash(`stopped at step ${k}`);
      });
      await modelB().save(dir).catch(() => undefined);
      setSaveStepHook(null);
      const loaded = await loadModel(dir);
      expect(whichModel(loaded), `stopped before step ${k} (${steps[k] ?? 'end'})`).toBe(k <= commit ? 'A' : 'B');
      // The next save removes whatever the stopped one left behind.
      await modelA().save(dir);
      expect(whichModel(await loadModel(dir))).toBe('A');
      expectTidy(dir);
    }
  });

  it('a lock left by a save that died (a dead pid, or this process with a token no live save holds) is taken over', async () => {
    const dir = freshDir();
    await modelA().save(dir);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ host: (await import('node:os')).hostname(), pid: process.pid, token: 'gone' }));
    await modelB().save(dir);
    expect(whichModel(await loadModel(dir))).toBe('B');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a lock held by another live process makes a save wait, then fail clearly with the folder unchanged', async () => {
    const dir = freshDir();
    await modelA().save(dir);
    const before = readdirSync(dir).sort();
    const { hostname } = await import('node:os');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ host: hostname(), pid: process.ppid, token: 'live' }));
    setLockWaitMs(200);
    try {
      await expect(modelB().save(dir)).rejects.toThrow(new RegExp(`another save into .* \\(by process ${process.ppid} on .*\\) has held ${LOCK_FILE.replace('.', '\\.')}.*nothing was written`));
    } finally {
      setLockWaitMs(10_000);
    }
    expect(readdirSync(dir).sort()).toEqual([...before, LOCK_FILE].sort());
    expect(whichModel(await loadModel(dir))).toBe('A');
  });

  it('concurrent saves into one folder from one process serialize: the folder always loads, ending with the last save', async () => {
    const dir = freshDir();
    const models = [modelA(), modelB(), modelA(), modelB(), modelA()];
    const loads: Promise<unknown>[] = [];
    const saves = models.map((m) => m.save(dir));
    // Readers racing the saves see one complete model or the other.
    for (let i = 0; i < 10; i++) loads.push(saves[0].then(() => loadModel(dir)).then((m) => expect(whichModel(m)).not.toBeNull()));
    await Promise.all([...saves, ...loads]);
    expect(whichModel(await loadModel(dir))).toBe('A');
    expectTidy(dir);
  });
});

describe('saveWeights leftovers', () => {
  it('temp files of dead saves (a dead pid, or this process with no save running) are removed by the next save; a live process keeps its own', async () => {
    const dir = freshDir();
    const file = join(dir, 'w.nw');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dead = join(dir, `.w.nw.${deadPid}.abcdefabcdef.tmp`);
    const orphan = join(dir, `.w.nw.${process.pid}.0123456789ab.bak`);
    const live = join(dir, `.w.nw.${process.ppid}.fedcba987654.tmp`);
    for (const f of [dead, orphan, live]) writeFileSync(f, 'x');
    await modelA().saveWeights(file);
    expect(readdirSync(dir).sort()).toEqual([basename(live), 'w.nw'].sort());
  });
});

describe('save(dir) in a child process killed with SIGKILL at random moments', () => {
  let child = '';
  beforeAll(async () => {
    // Bundled once so each child starts in milliseconds (no TypeScript compile per start).
    child = join(freshDir(), 'crash-child.mjs');
    await build({
      entryPoints: [join(__dirname, 'crash-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: child,
      logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
  });

  /** Starts a child saving into `dir` and resolves once it is about to save. */
  function start(dir: string): Promise<ReturnType<typeof spawn>> {
    return new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d) => (err += d));
      p.stdout!.once('data', () => resolve(p));
      p.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${err}`));
      });
    });
  }

  function kill(p: ReturnType<typeof spawn>): Promise<void> {
    return new Promise((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  it('two children saving into one folder, killed at random moments 10 times: every load (also while they save) gives model A or B', async () => {
    const dir = freshDir();
    await modelA().save(dir);
    const rng = seedrandom('crash-harness');
    let interrupted = 0;
    let loadsDuringSaves = 0;
    for (let i = 0; i < 10; i++) {
      const children = await Promise.all([start(dir), start(dir)]);
      // Loads racing the two savers must each see one complete model.
      const until = Date.now() + 20 + Math.floor(rng() * 120);
      do {
        expect(whichModel(await loadModel(dir))).not.toBeNull();
        loadsDuringSaves++;
      } while (Date.now() < until);
      await Promise.all(children.map(kill));
      // A lock file or an extra file left behind shows a kill landed inside a save.
      if (readdirSync(dir).length > 2) interrupted++;
      expect(whichModel(await loadModel(dir))).not.toBeNull();
    }
    expect(interrupted).toBeGreaterThan(0);
    expect(loadsDuringSaves).toBeGreaterThanOrEqual(10);
    await modelB().save(dir);
    expect(whichModel(await loadModel(dir))).toBe('B');
    expectTidy(dir);
  }, 60_000);
});

describe('loadWeights racing saveWeights', () => {
  it('loads while saves of two weight sets replace the file always give one set or the other', async () => {
    const file = join(freshDir(), 'w.nw');
    const a = modelA();
    const other = modelA();
    other.setWeights(other.getWeights().map((w) => new Tensor(w.data.map((v) => v + 1), w.shape)));
    await a.saveWeights(file);
    const target = modelA();
    const sets = [a, other].map((m) => JSON.stringify(m.getWeights().map((w) => Array.from(w.data))));
    const saves = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? other : a).saveWeights(file));
    const loads = Array.from({ length: 20 }, async () => {
      await target.loadWeights(file);
      expect(sets).toContain(JSON.stringify(target.getWeights().map((w) => Array.from(w.data))));
    });
    await Promise.all([...saves, ...loads]);
  });
});
