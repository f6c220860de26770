import { dirname } from 'node:path';
import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Callback, TrainingParams } from './callbacks.js';
import { improves, monitorMode } from './monitor.js';
import { Logs } from './progress.js';
import { Trainable } from './trainable.js';
import { ensureWritableDir } from './writable.js';
import { checkSaveFreq } from './backup-and-restore.js';

/** Options of `ModelCheckpoint` (Keras 3 semantics, TF.js spellings). */
export interface ModelCheckpointOptions {
  /** Log key compared when `saveBestOnly`. Default `'val_loss'`. */
  monitor?: string;
  /** 1: print each save. Default 0. */
  verbose?: 0 | 1;
  /** Only save when the monitored value improves on the best so far. Default false. */
  saveBestOnly?: boolean;
  /** Save weights only (`model.saveWeights(path)`), not the whole model (`model.save(dir)`). Default false. */
  saveWeightsOnly?: boolean;
  mode?: 'auto' | 'min' | 'max';
  /** With saveBestOnly: the value to beat at first. */
  initialValueThreshold?: number;
  /**
   * `'epoch'`: save after every epoch (default); an integer n: after every n batches, counted across epochs
   * (Keras 3), with the batch's running logs; the path may then hold `{batch}` (counted from 1 in its epoch).
   */
  saveFreq?: 'epoch' | number;
}

/** `{name}` or `{name:02d}` / `{name:.2f}` / `{name:.3e}` in a path pattern. */
const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::(0?\d*)(d|\.\d+f|\.\d+e))?\}/g;

/** A path from `pattern` for epoch `epoch` (counted from 1, as Keras), the batch (from 1; null after an epoch) and the logs. */
export function formatCheckpointPath(pattern: string, epoch: number, logs: Logs, batch: number | null = null): string {
  return pattern.replace(FIELD, (_, name: string, width: string | undefined, spec: string | undefined) => {
    const value = name === 'epoch' ? epoch + 1 : name === 'batch' && batch !== null ? batch + 1 : logs[name];
    if (value === undefined) throw new NeuriteError(`ModelCheckpoint: the path '${pattern}' uses {${name}}, which is not in the logs (${['epoch', ...(batch === null ? [] : ['batch']), ...Object.keys(logs)].join(', ')})`);
    if (spec === undefined) return String(value);
    let text = spec === 'd' ? String(Math.round(value)) : spec.endsWith('f') ? value.toFixed(Number(spec.slice(1, -1))) : value.toExponential(Number(spec.slice(1, -1))).replace(/e([+-])(\d)$/, 'e$10$2');
    if (width !== undefined && width !== '') text = text.padStart(Number(width), width.startsWith('0') ? '0' : ' ');
    return text;
  });
}

/**
 * Saves the model (or its weights) after every epoch (or every `saveFreq` batches), or only when the
 * monitored value improves (Keras's `ModelCheckpoint`). The path may hold `{epoch}`, `{epoch:02d}`, `{batch}`
 * (with a batch `saveFreq`) and log values such as `{val_loss:.2f}`. The folder is checked at `onTrainBegin` (created if missing, and written to once), and
 * every field of the pattern is checked against the run's log keys, so a bad path fails before training.
 * A full save is the TF.js Layers folder (`model.json` + `weights.bin`), readable by `tf.loadLayersModel`.
 * @example new ModelCheckpoint('ckpt/epoch-{epoch:02d}-{val_loss:.2f}', { saveBestOnly: true });
 */
export class ModelCheckpoint implements Callback {
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly saveFreq: 'epoch' | number;
  best: number;
  /** Paths written so far, in order. */
  saved: string[] = [];
  private model: Trainable | null = null;
  private params: TrainingParams | null = null;
  private readonly initial: number;
  private epoch = 0;
  private sinceSave = 0;

  constructor(readonly filepath: string, options: ModelCheckpointOptions = {}) {
    if (typeof filepath !== 'string' || filepath === '') throw new ValueError(`ModelCheckpoint: expected a file path, received ${JSON.stringify(filepath)}`);
    checkOptionKeys(options, ['monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'initialValueThreshold', 'saveFreq'], 'ModelCheckpoint');
    this.saveFreq = checkSaveFreq(options.saveFreq ?? 'epoch', 'ModelCheckpoint');
    const { monitor = 'val_loss', verbose = 0, saveBestOnly = false, saveWeightsOnly = false, mode = 'auto', initialValueThreshold } = options;
    this.monitor = monitor;
    this.verbose = verbose;
    this.saveBestOnly = saveBestOnly;
    this.saveWeightsOnly = saveWeightsOnly;
    this.mode = monitorMode(mode, monitor, 'ModelCheckpoint');
    if (initialValueThreshold !== undefined && !Number.isFinite(initialValueThreshold)) throw new ValueError(`ModelCheckpoint: expected initialValueThreshold to be a finite number, received ${initialValueThreshold}`);
    this.initial = initialValueThreshold ?? (this.mode === 'min' ? Infinity : -Infinity);
    this.best = this.initial;
  }

  setModel(model: Trainable): void {
    this.model = model;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  async onTrainBegin(): Promise<void> {
    const model = this.model;
    const method = this.saveWeightsOnly ? 'saveWeights' : 'save';
    if (model === null || typeof model[method] !== 'function') throw new NeuriteError(`ModelCheckpoint: the model cannot ${method}(path); use a neurite Model`);
    // Every field must name a log key of this run (the values come from the epoch's logs; per batch, from
    // the batch's running logs, which have no validation values).
    const logged = this.params?.metrics ?? [];
    const keys = this.saveFreq === 'epoch' ? ['epoch', ...logged] : ['epoch', 'batch', ...logged.filter((k) => !k.startsWith('val_'))];
    for (const m of this.filepath.matchAll(FIELD)) {
      if (!keys.includes(m[1])) throw new NeuriteError(`ModelCheckpoint: the path '${this.filepath}' uses {${m[1]}}, which this run does not log${this.saveFreq === 'epoch' ? '' : ' per batch'}; the keys are ${keys.join(', ')}`);
    }
    // Both a weights file and a model folder are written inside the path's parent folder; with fields in
    // the path, the part before the first field is the folder that must already be writable.
    const fixed = this.filepath.split('{')[0];
    const folder = dirname(fixed === this.filepath ? this.filepath : `${fixed}x`);
    await ensureWritableDir(folder, 'ModelCheckpoint');
    this.best = this.initial;
    this.saved = [];
    this.sinceSave = 0;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save(epoch, null, logs);
  }

  async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch' || ++this.sinceSave < this.saveFreq) return;
    this.sinceSave = 0;
    await this.save(this.epoch, batch, logs);
  }

  private async save(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        console.warn(`ModelCheckpoint: '${this.monitor}' is not in the ${batch === null ? 'epoch' : 'batch'} logs (available: ${Object.keys(logs).join(', ')}); nothing saved`);
        return;
      }
      if (!improves(this.mode, current, this.best, 0)) return;
      this.best = current;
    }
    const path = formatCheckpointPath(this.filepath, epoch, logs, batch);
    if (this.saveWeightsOnly) await this.model!.saveWeights!(path);
    else await this.model!.save!(path);
    this.saved.push(path);
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}${batch === null ? '' : `, batch ${batch + 1}`}: saving model to ${path}`);
  }
}
