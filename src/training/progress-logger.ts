import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Callback, TrainingParams } from './callbacks.js';
import { formatEpochHeader, Logs, renderEpochLine, renderEpochSummary, renderRunningLine } from './progress.js';

/** Where progress goes and how time is read; injected in tests. */
export interface ProgressEnvironment {
  /** Writes text as is (no newline added). */
  write(text: string): void;
  /** Whether the output is a terminal (the bar is then redrawn in place). */
  isTTY: boolean;
  /** Milliseconds from any fixed origin. */
  clock(): number;
  /** The terminal's width in characters, read at every redraw (so a resize takes effect); undefined when unknown. */
  columns?(): number | undefined;
}

/** Width assumed for a terminal that does not report one (the default terminal size). */
export const DEFAULT_COLUMNS = 80;

/** Options of `ProgbarLogger`. */
export interface ProgbarLoggerOptions {
  /** 1 progress bar (default), 2 one line per epoch. */
  verbose?: 1 | 2;
  /** What the bar counts: `'steps'` (default) or `'samples'`. */
  countMode?: 'steps' | 'samples';
  /**
   * Log keys shown as they are (Keras's `stateful_metrics`). The loss and the compiled metrics always are:
   * their logs already hold the epoch's running value. Any other key a callback puts in the batch logs is
   * averaged over the epoch's batches by the bar (weighted by batch size with `countMode: 'samples'`), as
   * Keras's progress bar does.
   */
  statefulMetrics?: readonly string[];
}

/** Milliseconds between two redraws of the bar, so drawing never costs training time. */
export const REDRAW_INTERVAL_MS = 50;

/** stdout and the performance clock. */
export function defaultProgressEnvironment(): ProgressEnvironment {
  return {
    write: (text) => void process.stdout.write(text),
    isTTY: process.stdout.isTTY === true,
    clock: () => performance.now(),
    columns: () => process.stdout.columns,
  };
}

/**
 * Drives the progress display (`verbose` 1 or 2) from fit's callback hooks; the strings come from
 * progress.ts. Verbose 1 on a terminal redraws one bar in place (`\r`) at most every 50 ms and ends the
 * epoch with the full line; verbose 1 elsewhere, and verbose 2, write the epoch header and one line per epoch.
 * @example await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new ProgressLogger(2)] }); // one line per epoch
 */
export class ProgressLogger implements Callback {
  private steps: number | null = 0;
  private epochs = 0;
  private started = 0;
  private lastDraw = -Infinity;
  private lastWidth = 0;
  private seen = 0;

  private samples = 0;
  private batchSize: number | null = null;

  /**
   * @param verbose 1 for the progress bar, 2 for one line per epoch.
   * @param env where the text goes (stdout by default).
   * @param countMode `'steps'` counts batches; `'samples'` counts samples (in-memory data, whose size is known).
   */
  constructor(
    /** 1: progress bar; 2: one line per epoch. */
    readonly verbose: 1 | 2,
    /** Output, clock and terminal width. */
    readonly env: ProgressEnvironment = defaultProgressEnvironment(),
    /** What the bar counts. */
    readonly countMode: 'steps' | 'samples' = 'steps',
  ) {}

  /** The logs as the bar shows them (ProgbarLogger averages the keys that are not stateful). */
  protected shown(logs: Logs): Logs {
    return logs;
  }

  setParams(params: TrainingParams): void {
    this.epochs = params.epochs;
    this.batchSize = params.batchSize;
    this.steps = this.countMode === 'samples' && params.samples !== null ? params.samples : params.steps;
  }

  onBatchBegin(batch: number, logs: Logs = {}): void {
    void batch;
    this.samples += logs.size ?? 0;
  }

  onEpochBegin(epoch: number): void {
    this.env.write(`${formatEpochHeader(epoch, this.epochs)}\n`);
    this.started = this.env.clock();
    this.lastDraw = -Infinity;
    this.lastWidth = 0;
    this.seen = 0;
    this.samples = 0;
  }

  /** Steps or samples done, as `countMode` says. */
  private count(batch: number): number {
    return this.countMode === 'samples' && this.batchSize !== null ? this.samples : batch + 1;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = this.count(batch);
    if (this.verbose !== 1 || !this.env.isTTY || (this.steps !== null && this.seen >= this.steps)) return;
    const now = this.env.clock();
    if (now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    this.redraw(renderRunningLine(this.seen, this.steps, (now - this.started) / 1000, this.shown(logs), this.maxWidth()));
  }

  onEpochEnd(epoch: number, epochLogs: Logs = {}): void {
    void epoch;
    const logs = this.shown(epochLogs);
    const elapsed = (this.env.clock() - this.started) / 1000;
    const target = this.steps;
    // The first pass over a dataset of unknown size has counted its steps (Keras then shows them).
    this.steps ??= this.seen;
    if (this.verbose === 2) {
      this.env.write(`${renderEpochSummary(this.seen, target, elapsed, logs)}\n`);
      return;
    }
    const line = renderEpochLine(this.seen, target, elapsed, logs);
    if (this.env.isTTY) this.redraw(line);
    else this.env.write(line);
    this.env.write('\n');
  }

  /**
   * The widest line that never wraps: one less than the columns, since a line that fills the last column
   * leaves some terminals on the next row, where the next `\r` no longer reaches it.
   */
  private maxWidth(): number {
    const columns = this.env.columns?.();
    return (typeof columns === 'number' && columns > 1 ? columns : DEFAULT_COLUMNS) - 1;
  }

  /**
   * Replaces the current terminal line, blanking what a longer previous line left behind (the blanks never
   * reach past the terminal's width). The epoch's final line keeps every metric: it is not redrawn, so it
   * may wrap.
   */
  private redraw(line: string): void {
    const blank = Math.max(0, Math.min(this.lastWidth, this.maxWidth()) - line.length);
    this.env.write(`\r${line}${' '.repeat(blank)}`);
    this.lastWidth = line.length;
  }
}

/**
 * The progress display as a callback the user passes (Keras's `ProgbarLogger`); `fit` then adds no bar of
 * its own. `countMode: 'samples'` counts samples instead of batches; keys a callback adds to the batch logs are
 * averaged over the epoch unless named in `statefulMetrics`.
 * @example await model.fit(x, y, { verbose: 0, callbacks: [new ProgbarLogger({ countMode: 'samples', statefulMetrics: ['lr'] })] });
 */
export class ProgbarLogger extends ProgressLogger {
  /** Keys shown as they are: `statefulMetrics` plus, once fit starts, its loss and metrics. */
  private readonly stateful: Set<string>;
  private readonly given: readonly string[];
  /** Per averaged key: the weighted sum and the weight of its batch values this epoch. */
  private sums = new Map<string, { sum: number; weight: number }>();
  private batchWeight = 1;

  constructor(options: ProgbarLoggerOptions = {}, env?: ProgressEnvironment) {
    checkOptionKeys(options, ['verbose', 'countMode', 'statefulMetrics'], 'ProgbarLogger');
    const { verbose = 1, countMode = 'steps', statefulMetrics = [] } = options;
    if (verbose !== 1 && verbose !== 2) throw new ValueError(`ProgbarLogger: expected verbose 1 or 2, received ${String(verbose)}`);
    if (countMode !== 'steps' && countMode !== 'samples') throw new ValueError(`ProgbarLogger: expected countMode 'steps' or 'samples', received ${JSON.stringify(countMode)}`);
    if (!Array.isArray(statefulMetrics) || statefulMetrics.some((k) => typeof k !== 'string')) {
      throw new ValueError(`ProgbarLogger: expected statefulMetrics as an array of log key names, received ${JSON.stringify(statefulMetrics)}`);
    }
    super(verbose, env, countMode);
    this.given = [...statefulMetrics];
    this.stateful = new Set(this.given);
  }

  override setParams(params: TrainingParams): void {
    super.setParams(params);
    this.stateful.clear();
    for (const k of [...this.given, ...params.metrics]) this.stateful.add(k);
  }

  override onEpochBegin(epoch: number): void {
    super.onEpochBegin(epoch);
    this.sums = new Map();
  }

  override onBatchBegin(batch: number, logs: Logs = {}): void {
    super.onBatchBegin(batch, logs);
    this.batchWeight = this.countMode === 'samples' ? (logs.size ?? 1) : 1;
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    for (const [k, v] of Object.entries(logs)) {
      if (this.averaged(k) && typeof v === 'number') {
        const s = this.sums.get(k) ?? { sum: 0, weight: 0 };
        s.sum += v * this.batchWeight;
        s.weight += this.batchWeight;
        this.sums.set(k, s);
      }
    }
    super.onBatchEnd(batch, logs);
  }

  protected override shown(logs: Logs): Logs {
    const out: Logs = { ...logs };
    for (const [k, s] of this.sums) if (k in out && s.weight > 0) out[k] = s.sum / s.weight;
    return out;
  }

  private averaged(key: string): boolean {
    return key !== 'batch' && key !== 'size' && !this.stateful.has(key);
  }
}
