import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential } from '../../src/models/sequential.js';
import { setSeed } from '../../src/util/random.js';
import { NeuriteError, ValueError } from '../../src/util/errors.js';
import { ModelCheckpoint } from '../../src/training/model-checkpoint.js';
import { BackupAndRestore } from '../../src/training/backup-and-restore.js';
import { Callback, History } from '../../src/training/callbacks.js';
import { fromArrays } from '../../src/data/from-arrays.js';
import { backupData, backupNet } from './backup-net.js';

vi.setConfig({ testTimeout: 30_000 });
const root = mkdtempSync(join(tmpdir(), 'neurite-backup-batch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => join(root, `d${n++}`);

const net = backupNet;
const { x, y } = backupData;
const y2 = y.map((v) => [v]);
const weightsOf = (m: Sequential) => m.getWeights().map((w) => Array.from(w.data));

/** Throws at the `at`-th batch end of the run (counted from 1 across epochs), or in onEpochEnd of epoch `atEpochEnd`. */
function crashAt(at: number | null, atEpochEnd: number | null = null): Callback {
  let seen = 0;
  return {
    onBatchEnd: () => {
      if (++seen === at) throw new Error('power cut');
    },
    onEpochEnd: (epoch) => {
      if (epoch === atEpochEnd) throw new Error('power cut');
    },
  };
}

/** Batch indices the run trained, as `epoch:batch`. */
function batchLog(): Callback & { seen: string[] } {
  let epoch = -1;
  const seen: string[] = [];
  return { seen, onEpochBegin: (e) => void (epoch = e), onBatchBegin: (b) => void seen.push(`${epoch}:${b}`) };
}

/** Runs `train` once uninterrupted and once interrupted by `crash` then resumed (with a moved global seed); both results. */
async function interruptAndResume(train: (m: Sequential, callbacks: Callback[]) => Promise<History>, crash: Callback, saveFreq: 'epoch' | number) {
  const straight = net(7);
  const full = await train(straight, []);
  const backupDir = dir();
  const resumed = net(7);
  await expect(train(resumed, [new BackupAndRestore(backupDir, { saveFreq }), crash])).rejects.toThrow('power cut');
  expect(existsSync(join(backupDir, 'backup.json'))).toBe(true);
  setSeed(999); // the global stream has moved on; the backup must put the fit's stream back
  const restore = new BackupAndRestore(backupDir, { saveFreq });
  const log = batchLog();
  const rest = await train(resumed, [restore, log]);
  expect(existsSync(join(backupDir, 'backup.json'))).toBe(false);
  return { straight, full, resumed, rest, restore, log };
}

function expectSameRun(r: Awaited<ReturnType<typeof interruptAndResume>>, fromEpoch: number): void {
  expect(r.rest.epoch).toEqual(r.full.epoch.slice(fromEpoch));
  for (const key of Object.keys(r.full.history)) expect([key, r.rest.history[key]]).toEqual([key, r.full.history[key].slice(fromEpoch)]);
  expect(weightsOf(r.resumed)).toEqual(weightsOf(r.straight));
  expect(r.resumed.optimizer!.iterations).toBe(r.straight.optimizer!.iterations);
}

describe('BackupAndRestore with a batch saveFreq resumes mid-epoch bit for bit', () => {
  it('in-memory data: shuffled order, Dropout, Adam, accuracy and AUC running totals', async () => {
    // 4 batches per epoch; backups after batches 3, 6 (epoch 1, batch index 1); the crash at batch 8.
    const r = await interruptAndResume((m, callbacks) => m.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0, callbacks }), crashAt(8), 3);
    expect([r.restore.resumedAt, r.restore.resumedAtBatch]).toEqual([1, 2]);
    expect(r.log.seen.slice(0, 3)).toEqual(['1:2', '1:3', '2:0']);
    expectSameRun(r, 1);
  });

  it('a backup at the last batch of an epoch resumes straight into that epoch end (no batch re-run)', async () => {
    const r = await interruptAndResume((m, callbacks) => m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, callbacks }), crashAt(null, 1), 4);
    expect([r.restore.resumedAt, r.restore.resumedAtBatch]).toEqual([1, 4]);
    expect(r.log.seen[0]).toBe('2:0');
    expectSameRun(r, 1);
  });

  it('a dataset with an unseeded shuffle, rebuilt in the resumed run: the pass is re-drawn and re-read to the batch', async () => {
    const ds = () => fromArrays(x, y2).shuffle(64).batch(16);
    const r = await interruptAndResume((m, callbacks) => m.fit(ds(), { epochs: 4, verbose: 0, callbacks }), crashAt(11), 5);
    expect([r.restore.resumedAt, r.restore.resumedAtBatch]).toEqual([2, 2]);
    expectSameRun(r, 2);
  });

  it('an endless dataset with stepsPerEpoch (epochs cut across passes), per batch and per epoch', async () => {
    const ds = () => fromArrays(x, y2).shuffle(64).batch(16).repeat();
    const train = (m: Sequential, callbacks: Callback[]) => m.fit(ds(), { epochs: 5, stepsPerEpoch: 3, verbose: 0, callbacks });
    const perBatch = await interruptAndResume(train, crashAt(10), 2);
    expect([perBatch.restore.resumedAt, perBatch.restore.resumedAtBatch]).toEqual([3, 1]);
    expectSameRun(perBatch, 3);
    const perEpoch = await interruptAndResume(train, crashAt(8), 'epoch');
    expect([perEpoch.restore.resumedAt, perEpoch.restore.resumedAtBatch]).toEqual([2, 0]);
    expectSameRun(perEpoch, 2);
  });

  it('saveFreq must be epoch or a positive integer; deleteCheckpoint: false keeps the last backup', async () => {
    expect(() => new BackupAndRestore(dir(), { saveFreq: 0 })).toThrow(ValueError);
    expect(() => new BackupAndRestore(dir(), { saveFreq: 'batch' as never })).toThrow(`BackupAndRestore: expected saveFreq to be 'epoch' or a positive integer number of batches, received "batch"`);
    const keep = dir();
    await net(1).fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, callbacks: [new BackupAndRestore(keep, { saveFreq: 3, deleteCheckpoint: false })] });
    expect(existsSync(join(keep, 'backup.json'))).toBe(true);
  });
});

describe('ModelCheckpoint saveFreq', () => {
  it('every n batches across epochs (Keras 3 counting), {batch} from 1, the weights of that moment', async () => {
    const folder = dir();
    const m = net(2);
    const at: Record<string, number[][]> = {};
    let epoch = 0;
    const snap: Callback = { onEpochBegin: (e) => void (epoch = e), onBatchEnd: (b) => void (at[`${epoch + 1}-${b + 1}`] = weightsOf(m)) };
    const cb = new ModelCheckpoint(join(folder, 'w-{epoch}-{batch}-{loss:.3f}.bin'), { saveFreq: 3, saveWeightsOnly: true });
    const h = await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [cb, snap] });
    expect(cb.saved.map((p) => p.slice(folder.length + 1).replace(/-[0-9.]+\.bin$/, ''))).toEqual(['w-1-3', 'w-2-2']);
    expect(h.history.loss.length).toBe(2);
    for (const path of cb.saved) {
      const key = path.slice(folder.length + 3).replace(/-[0-9.]+\.bin$/, '');
      const other = net(3);
      await other.loadWeights(path);
      expect(weightsOf(other)).toEqual(at[key]);
    }
  });

  it('saveBestOnly per batch compares the running batch logs; bad saveFreq and per-batch val_ fields fail before training', async () => {
    const folder = dir();
    const m = net(4);
    const cb = new ModelCheckpoint(join(folder, 'best-{epoch}-{batch}'), { saveFreq: 1, saveBestOnly: true, monitor: 'loss', saveWeightsOnly: true });
    const losses: number[] = [];
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [cb, { onBatchEnd: (_b, logs) => void losses.push(logs!.loss) }] });
    let best = Infinity;
    const expected: string[] = [];
    losses.forEach((l, i) => {
      if (l < best) {
        best = l;
        expected.push(`best-${Math.floor(i / 4) + 1}-${(i % 4) + 1}`);
      }
    });
    expect(cb.saved.map((p) => p.slice(folder.length + 1))).toEqual(expected);
    expect(() => new ModelCheckpoint('x', { saveFreq: 1.5 })).toThrow(ValueError);
    const bad = new ModelCheckpoint(join(folder, 'c-{val_loss}'), { saveFreq: 2 });
    await expect(net(4).fit(x, y, { epochs: 1, verbose: 0, validationSplit: 0.25, callbacks: [bad] })).rejects.toThrow(NeuriteError);
    await expect(net(4).fit(x, y, { epochs: 1, verbose: 0, validationSplit: 0.25, callbacks: [bad] })).rejects.toThrow(/uses \{val_loss\}, which this run does not log per batch/);
  });
});
