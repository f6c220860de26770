import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { getRandomState, setRandomState } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { Callback } from './callbacks.js';
import { FitLoop, FitPosition } from './fit-position.js';
import { Logs } from './progress.js';
import { Trainable } from './trainable.js';
import { ensureWritableDir, writeAtomically } from './writable.js';

/** Options of `BackupAndRestore`. */
export interface BackupAndRestoreOptions {
  /** Remove the backup when training ends normally. Default true. */
  deleteCheckpoint?: boolean;
  /** `'epoch'`: back up after every epoch (default); an integer n: after every n batches (counted across epochs, as Keras). */
  saveFreq?: 'epoch' | number;
}

/** What one backup holds: the last finished epoch and everything the next epoch depends on. */
interface Backup {
  epoch: number;
  weights: { shape: number[]; data: string }[];
  optimizer: { className: string; iterations: number; slots: string[] } | null;
  learningRate: number | null;
  random: object;
  /** Where the loop stood (epoch, batch into it, data position, running totals); absent in epoch-only backups of older versions. */
  position?: FitPosition;
  /** Batches since the last backup (the batch-frequency count continues across a resume). */
  sinceSave?: number;
}

const toBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Checks a Keras `saveFreq`: `'epoch'` or a positive integer number of batches. */
export function checkSaveFreq(value: unknown, owner: string): 'epoch' | number {
  if (value === 'epoch' || (typeof value === 'number' && Number.isInteger(value) && value >= 1)) return value;
  throw new ValueError(`${owner}: expected saveFreq to be 'epoch' or a positive integer number of batches, received ${JSON.stringify(value)}`);
}

/**
 * Lets an interrupted `fit` resume where it stopped (Keras's `BackupAndRestore`): after every epoch (or
 * every `saveFreq` batches) it writes the weights, the optimizer's state and learning rate, the seeded
 * random stream and where the loop stood (epoch, batch, the data pass, the epoch's running loss and metric
 * totals) to `backupDir`; a later `fit` with the same callback restores them and continues at the next
 * batch, so the resumed run is bit-identical to one that was never interrupted (same data, same code; a
 * shuffled dataset's order is re-drawn from the restored stream and the pass re-read up to that batch).
 * The backup is removed when training ends normally (not when it throws) unless `deleteCheckpoint: false`.
 * @example await model.fit(x, y, { epochs: 50, callbacks: [new BackupAndRestore('/tmp/backup', { saveFreq: 100 })] });
 */
export class BackupAndRestore implements Callback {
  readonly deleteCheckpoint: boolean;
  readonly saveFreq: 'epoch' | number;
  /** The epoch a run resumed from (the first one it trained), or null when it started fresh. */
  resumedAt: number | null = null;
  /** The batch of `resumedAt` it resumed at (0: the epoch's start). */
  resumedAtBatch = 0;
  private model: Trainable | null = null;
  private loop: FitLoop | null = null;
  private sinceSave = 0;

  constructor(readonly backupDir: string, options: BackupAndRestoreOptions = {}) {
    if (typeof backupDir !== 'string' || backupDir === '') throw new ValueError(`BackupAndRestore: expected a backup folder, received ${JSON.stringify(backupDir)}`);
    checkOptionKeys(options, ['deleteCheckpoint', 'saveFreq'], 'BackupAndRestore');
    this.deleteCheckpoint = options.deleteCheckpoint ?? true;
    this.saveFreq = checkSaveFreq(options.saveFreq ?? 'epoch', 'BackupAndRestore');
  }

  setFitLoop(loop: FitLoop): void {
    this.loop = loop;
  }

  private get file(): string {
    return join(this.backupDir, 'backup.json');
  }

  setModel(model: Trainable): void {
    this.model = model;
  }

  async onTrainBegin(logs: Logs = {}): Promise<void> {
    await ensureWritableDir(this.backupDir, 'BackupAndRestore');
    this.resumedAt = null;
    const text = await fs.readFile(this.file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    this.sinceSave = 0;
    this.resumedAtBatch = 0;
    if (text === null) return;
    const backup = JSON.parse(text) as Backup;
    this.restore(backup);
    this.sinceSave = backup.sinceSave ?? 0;
    if (backup.position !== undefined && this.loop !== null) {
      this.loop.resumeAt(backup.position);
      this.resumedAt = backup.position.epoch;
      this.resumedAtBatch = backup.position.batch;
    } else {
      this.resumedAt = backup.epoch + 1;
      logs.initialEpoch = backup.epoch + 1;
    }
  }

  async onEpochEnd(): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save();
  }

  async onBatchEnd(): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    if (++this.sinceSave < this.saveFreq) return;
    this.sinceSave = 0;
    await this.save();
  }

  /** Writes the backup (atomically: a crash mid-write leaves the previous one). */
  private async save(): Promise<void> {
    const model = this.model!;
    const position = this.loop?.position();
    const opt = model.optimizer ?? null;
    const state = opt?.built ? opt.getState() : null;
    const backup: Backup = {
      epoch: (position?.epoch ?? 1) - 1,
      weights: model.getWeights().map((w) => ({ shape: [...w.shape], data: toBase64(w.data) })),
      optimizer: state === null ? null : { className: opt!.className, iterations: state.iterations, slots: state.slots.map(toBase64) },
      learningRate: opt?.learningRate ?? null,
      random: getRandomState(),
      position,
      sinceSave: this.sinceSave,
    };
    await writeAtomically(this.file, JSON.stringify(backup));
  }

  async onTrainEnd(): Promise<void> {
    if (this.deleteCheckpoint) await fs.rm(this.file, { force: true });
  }

  /** Puts weights, optimizer and random stream back; everything is checked before anything changes. */
  private restore(backup: Backup): void {
    const model = this.model!;
    const what = `BackupAndRestore: the backup in '${this.backupDir}'`;
    const weights = backup.weights.map((w) => new Tensor(fromBase64(w.data), w.shape));
    const live = model.getWeights();
    if (weights.length !== live.length || weights.some((w, i) => w.size !== live[i].size)) {
      throw new NeuriteError(`${what} holds ${weights.length} weights that do not fit this model's ${live.length}; delete the folder to start afresh`);
    }
    const opt = model.optimizer ?? null;
    if (backup.optimizer !== null && (opt === null || opt.className !== backup.optimizer.className)) {
      throw new NeuriteError(`${what} was written with optimizer ${backup.optimizer.className}, the model has ${opt?.className ?? 'none'}`);
    }
    model.setWeights(weights);
    if (backup.optimizer !== null && opt !== null) {
      if (!opt.built) opt.build(model.trainableWeights);
      opt.setState({ iterations: backup.optimizer.iterations, slots: backup.optimizer.slots.map(fromBase64) });
    }
    if (opt !== null && backup.learningRate !== null) opt.learningRate = backup.learningRate;
    setRandomState(backup.random);
  }
}
