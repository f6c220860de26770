import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { getRandomState, setRandomState } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { Callback } from './callbacks.js';
import { Logs } from './progress.js';
import { Trainable } from './trainable.js';
import { ensureWritableDir, writeAtomically } from './writable.js';

/** Options of `BackupAndRestore`. */
export interface BackupAndRestoreOptions {
  /** Remove the backup when training ends normally. Default true. */
  deleteCheckpoint?: boolean;
}

/** What one backup holds: the last finished epoch and everything the next epoch depends on. */
interface Backup {
  epoch: number;
  weights: { shape: number[]; data: string }[];
  optimizer: { className: string; iterations: number; slots: string[] } | null;
  learningRate: number | null;
  random: object;
}

const toBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * Lets an interrupted `fit` resume where it stopped (Keras's `BackupAndRestore`): after every epoch it writes
 * the weights, the optimizer's state and learning rate, and the position of the seeded random stream to
 * `backupDir`; a later `fit` with the same callback restores them and starts at the next epoch, so the
 * resumed run is bit-identical to one that was never interrupted (same data, same code). The backup is
 * removed when training ends normally (not when it throws).
 * @example await model.fit(x, y, { epochs: 50, callbacks: [new BackupAndRestore('/tmp/backup')] });
 */
export class BackupAndRestore implements Callback {
  readonly deleteCheckpoint: boolean;
  /** The epoch a run resumed from (the first one it trained), or null when it started fresh. */
  resumedAt: number | null = null;
  private model: Trainable | null = null;

  constructor(readonly backupDir: string, options: BackupAndRestoreOptions = {}) {
    if (typeof backupDir !== 'string' || backupDir === '') throw new ValueError(`BackupAndRestore: expected a backup folder, received ${JSON.stringify(backupDir)}`);
    checkOptionKeys(options, ['deleteCheckpoint'], 'BackupAndRestore');
    this.deleteCheckpoint = options.deleteCheckpoint ?? true;
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
    if (text === null) return;
    const backup = JSON.parse(text) as Backup;
    this.restore(backup);
    this.resumedAt = backup.epoch + 1;
    logs.initialEpoch = backup.epoch + 1;
  }

  async onEpochEnd(epoch: number): Promise<void> {
    const model = this.model!;
    const opt = model.optimizer ?? null;
    const state = opt?.built ? opt.getState() : null;
    const backup: Backup = {
      epoch,
      weights: model.getWeights().map((w) => ({ shape: [...w.shape], data: toBase64(w.data) })),
      optimizer: state === null ? null : { className: opt!.className, iterations: state.iterations, slots: state.slots.map(toBase64) },
      learningRate: opt?.learningRate ?? null,
      random: getRandomState(),
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
