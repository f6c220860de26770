import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Callback } from './callbacks.js';
import { Logs } from './progress.js';
import { ensureWritableDir } from './writable.js';

/** Options of `CSVLogger`. */
export interface CSVLoggerOptions {
  /** Cell separator. Default `','`. */
  separator?: string;
  /** Add to an existing file (a resumed run continues it; no second header). Default false: overwrite. */
  append?: boolean;
}

/**
 * Writes one row per epoch to a CSV file: `epoch` then the log keys in sorted order (Keras's `CSVLogger`).
 * Each row is appended as its epoch ends, so an interrupted run keeps what it logged, and `append: true`
 * resumes the file (the header is only written to an empty file).
 * @example new CSVLogger('training.csv', { append: true });
 */
export class CSVLogger implements Callback {
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private needHeader = true;

  constructor(readonly filename: string, options: CSVLoggerOptions = {}) {
    if (typeof filename !== 'string' || filename === '') throw new ValueError(`CSVLogger: expected a file name, received ${JSON.stringify(filename)}`);
    checkOptionKeys(options, ['separator', 'append'], 'CSVLogger');
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
    if (typeof this.separator !== 'string' || this.separator.length === 0) throw new ValueError('CSVLogger: expected separator to be a non-empty string');
  }

  async onTrainBegin(): Promise<void> {
    await ensureWritableDir(dirname(this.filename), 'CSVLogger');
    this.keys = null;
    const existing = this.append ? await fs.stat(this.filename).then((s) => s.size, () => 0) : 0;
    this.needHeader = existing === 0;
    if (!this.append) await fs.writeFile(this.filename, '');
    else if (existing > 0) this.keys = await this.headerKeys();
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.keys ??= Object.keys(logs).sort();
    const cells = [String(epoch), ...this.keys.map((k) => (k in logs ? String(logs[k]) : ''))];
    const header = this.needHeader ? `${['epoch', ...this.keys].join(this.separator)}\n` : '';
    this.needHeader = false;
    await fs.appendFile(this.filename, `${header}${cells.join(this.separator)}\n`);
  }

  /** The columns of a file being appended to, so resumed rows line up with its header. */
  private async headerKeys(): Promise<string[] | null> {
    const text = await fs.readFile(this.filename, 'utf8');
    const first = text.slice(0, text.indexOf('\n') >>> 0).split(this.separator);
    return first[0] === 'epoch' ? first.slice(1) : null;
  }
}
