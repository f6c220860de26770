import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/util/random.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Adam } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { NeuriteError, ValueError } from '../../src/util/errors.js';
import { LambdaCallback, LearningRateScheduler, ReduceLROnPlateau } from '../../src/training/lr-callbacks.js';
import { CSVLogger } from '../../src/training/csv-logger.js';
import { formatCheckpointPath, ModelCheckpoint } from '../../src/training/model-checkpoint.js';
import { BackupAndRestore } from '../../src/training/backup-and-restore.js';
import { Callback } from '../../src/training/callbacks.js';
import { expectClose } from '../helpers/close.js';
import { loadInTf } from '../io/tf-files.js';
import { tfData } from '../helpers/tf.js';
import { seedData } from './linear-model.js';

const root = mkdtempSync(join(tmpdir(), 'neurite-callbacks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => join(root, `d${n++}`);

function net(seed = 1, optimizer: SGD | Adam = new Adam({ learningRate: 0.05 })): Sequential {
  setSeed(seed);
  const m = new Sequential([new Dense(6, { activation: 'relu', inputShape: [2] }), new Dropout(0.25), new Dense(1, { activation: 'sigmoid' })]);
  m.compile({ optimizer, loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}
const { x, y } = seedData(64, 3);
const weightsOf = (m: Sequential) => m.getWeights().map((w) => Array.from(w.data));

describe('LearningRateScheduler, ReduceLROnPlateau, LambdaCallback', () => {
  it('the scheduler sets the rate each epoch and logs it; a NaN rate stops with the epoch named', async () => {
    const m = net(1, new SGD({ learningRate: 0.1 }));
    const seen: number[] = [];
    const h = await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler((e, lr) => (e === 0 ? lr : lr / 2)), new LambdaCallback({ onEpochBegin: () => void seen.push(m.optimizer!.learningRate) })] });
    expect(h.history.learning_rate).toEqual([0.1, 0.05, 0.025]);
    expect(seen).toEqual([0.1, 0.05, 0.025]);
    const before = weightsOf(m);
    await expect(m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new LearningRateScheduler(() => NaN)] })).rejects.toThrow(/the schedule returned NaN at epoch 0; expected a finite learning rate >= 0/);
    expect(weightsOf(m)).toEqual(before);
    expect(() => new LearningRateScheduler(3 as never)).toThrow(ValueError);
  });

  it('ReduceLROnPlateau follows Keras step by step (patience, cooldown, minLr, minDelta)', () => {
    const opt = new SGD({ learningRate: 1 });
    const cb = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, cooldown: 1, minLr: 0.2, minDelta: 0.01 });
    cb.setModel({ optimizer: opt } as never);
    cb.onTrainBegin();
    // Hand-traced from Keras 3's on_epoch_end: rates after each epoch.
    const losses = [1, 0.995, 0.99, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
    const rates = losses.map((loss) => {
      cb.onEpochEnd(0, { loss });
      return opt.learningRate;
    });
    // e0 best = 1; e1, e2 not better by 0.01 → wait 1, 2 → 0.5 (cooldown 1); e3 cooldown ends, 0.9 is better;
    // e4, e5 flat → wait 1, 2 → 0.25; e6 cooldown ends, wait 1; e7 wait 2 → max(0.125, 0.2) = 0.2;
    // e8 cooldown ends, wait 1; e9 wait 2, but the rate is already at minLr: unchanged.
    expect(rates).toEqual([1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2]);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor in \(0, 1\)/);
    expect(() => new ReduceLROnPlateau({ monitor: 'weird' })).toThrow(/cannot tell whether 'weird'/);
    expect(() => new LambdaCallback({ onEpochEnd: 3 } as never)).toThrow(/onEpochEnd to be a function/);
    expect(() => new LambdaCallback({ onEpoch: () => {} } as never)).toThrow(/unknown option 'onEpoch'/);
  });
});

describe('CSVLogger', () => {
  it('one row per epoch, sorted keys, appending resumes without a second header', async () => {
    const file = join(dir(), 'log.csv');
    const m = net();
    const h = await m.fit(x, y, { epochs: 2, verbose: 0, validationSplit: 0.25, callbacks: [new CSVLogger(file)] });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(lines[2]).toBe(`1,${h.history.accuracy[1]},${h.history.loss[1]},${h.history.val_accuracy[1]},${h.history.val_loss[1]}`);
    await m.fit(x, y, { epochs: 4, initialEpoch: 2, verbose: 0, validationSplit: 0.25, callbacks: [new CSVLogger(file, { append: true })] });
    const again = readFileSync(file, 'utf8').trim().split('\n');
    expect(again).toHaveLength(5);
    expect(again.slice(1).map((l) => l.split(',')[0])).toEqual(['0', '1', '2', '3']);
    await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new CSVLogger(file)] });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});

describe('ModelCheckpoint', () => {
  it('formats {epoch}, {epoch:02d} and metric values', () => {
    expect(formatCheckpointPath('m-{epoch}-{epoch:03d}-{val_loss:.2f}-{loss:.1e}', 4, { val_loss: 0.12345, loss: 0.000123 })).toBe('m-5-005-0.12-1.2e-04');
  });

  it('saves every epoch or only the best; the files load in tf.loadLayersModel with the same predictions', async () => {
    const folder = dir();
    const m = net();
    const every = new ModelCheckpoint(join(folder, 'e{epoch:02d}'));
    const vals: number[] = [];
    const best = new ModelCheckpoint(join(folder, 'best-{epoch}-{val_loss:.4f}'), { saveBestOnly: true });
    await m.fit(x, y, { epochs: 4, verbose: 0, validationSplit: 0.25, callbacks: [every, best, { onEpochEnd: (_e, logs) => void vals.push(logs!.val_loss) }] });
    expect(every.saved.map((p) => p.slice(folder.length + 1))).toEqual(['e01', 'e02', 'e03', 'e04']);
    let bestSoFar = Infinity;
    const expected = vals.flatMap((v, e) => (v < bestSoFar ? ((bestSoFar = v), [`best-${e + 1}-${v.toFixed(4)}`]) : []));
    expect(best.saved.map((p) => p.slice(folder.length + 1))).toEqual(expected);
    const tfModel = await loadInTf(every.saved[3]);
    const input = new Tensor(Float32Array.from(x.slice(0, 5).flat()), [5, 2]);
    const tfmod = await import('@tensorflow/tfjs');
    const theirs = tfData(tfModel.predict(tfmod.tensor2d(x.slice(0, 5))) as never);
    expectClose(m.predict(input), theirs, { rtol: 1e-5 });
  });

  it('saveWeightsOnly writes a weights file that loadWeights reads back', async () => {
    const folder = dir();
    const m = net();
    const cb = new ModelCheckpoint(join(folder, 'w-{epoch}.bin'), { saveWeightsOnly: true, monitor: 'loss' });
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [cb] });
    const other = net(9);
    await other.loadWeights(cb.saved[1]);
    expect(weightsOf(other)).toEqual(weightsOf(m));
  });

  it('an unwritable folder or an unknown field fails at onTrainBegin, before any training', async () => {
    const blocker = join(dir(), 'file');
    writeFileSync(join(root, 'plain-file'), 'x');
    const m = net();
    const before = weightsOf(m);
    await expect(m.fit(x, y, { verbose: 0, callbacks: [new ModelCheckpoint(join(root, 'plain-file', 'sub', 'ckpt'))] })).rejects.toThrow(NeuriteError);
    await expect(m.fit(x, y, { verbose: 0, callbacks: [new ModelCheckpoint(join(root, 'plain-file', 'ckpt-{epoch}'))] })).rejects.toThrow(/ModelCheckpoint: cannot write in folder '.*plain-file' \(ENOTDIR|EEXIST/);
    await expect(m.fit(x, y, { verbose: 0, callbacks: [new ModelCheckpoint(join(blocker, 'c-{val_acc}'))] })).rejects.toThrow(/uses \{val_acc\}, which this run does not log; the keys are epoch, loss, accuracy/);
    expect(weightsOf(m)).toEqual(before);
    expect(m.optimizer!.iterations).toBe(0);
    expect(() => new ModelCheckpoint('x', { savebestonly: true } as never)).toThrow(/unknown option 'savebestonly'/);
  });
});

describe('BackupAndRestore', () => {
  it('a run interrupted mid-epoch and resumed equals an uninterrupted run bit for bit (Adam, dropout, shuffling)', async () => {
    const opts = { epochs: 5, batchSize: 16, verbose: 0 as const };
    const straight = net(7);
    const full = await straight.fit(x, y, opts);

    const backupDir = dir();
    const resumed = net(7);
    let current = -1;
    const crash: Callback = {
      onEpochBegin: (epoch) => void (current = epoch),
      onBatchEnd: (batch) => {
        if (current === 3 && batch === 1) throw new Error('power cut');
      },
    };
    await expect(resumed.fit(x, y, { ...opts, callbacks: [new BackupAndRestore(backupDir), crash] })).rejects.toThrow('power cut');
    expect(existsSync(join(backupDir, 'backup.json'))).toBe(true);
    setSeed(12345); // the global stream has moved on; the backup must put it back
    const restore = new BackupAndRestore(backupDir);
    const rest = await resumed.fit(x, y, { ...opts, callbacks: [restore] });
    expect(restore.resumedAt).toBe(3);
    expect(rest.epoch).toEqual([3, 4]);
    expect(rest.history.loss).toEqual(full.history.loss.slice(3));
    expect(weightsOf(resumed)).toEqual(weightsOf(straight));
    expect(resumed.optimizer!.iterations).toBe(straight.optimizer!.iterations);
    expect(existsSync(join(backupDir, 'backup.json'))).toBe(false); // removed after a normal end
  });

  it('a backup from another model is refused before anything changes', async () => {
    const backupDir = dir();
    const a = net(1);
    await a.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new BackupAndRestore(backupDir, { deleteCheckpoint: false })] });
    setSeed(2);
    const b = new Sequential([new Dense(3, { inputShape: [2] }), new Dense(1, { activation: 'sigmoid' })]);
    b.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    b.predict(new Tensor(new Float32Array(2), [1, 2]));
    const before = weightsOf(b as never);
    await expect(b.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new BackupAndRestore(backupDir)] })).rejects.toThrow(/holds 4 weights that do not fit this model's 4|do not fit/);
    expect(weightsOf(b as never)).toEqual(before);
  });
});

vi.setConfig({ testTimeout: 20_000 });
