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
 */
export class ProgressLogger implements Callback {
  private steps = 0;
  private epochs = 0;
  private started = 0;
  private lastDraw = -Infinity;
  private lastWidth = 0;
  private seen = 0;

  /**
   * @param verbose 1 for the progress bar, 2 for one line per epoch.
   * @param env where the text goes (stdout by default).
   */
  constructor(
    /** 1: progress bar; 2: one line per epoch. */
    readonly verbose: 1 | 2,
    /** Output, clock and terminal width. */
    readonly env: ProgressEnvironment = defaultProgressEnvironment(),
  ) {}

  setParams(params: TrainingParams): void {
    this.steps = params.steps;
    this.epochs = params.epochs;
  }

  onEpochBegin(epoch: number): void {
    this.env.write(`${formatEpochHeader(epoch, this.epochs)}\n`);
    this.started = this.env.clock();
    this.lastDraw = -Infinity;
    this.lastWidth = 0;
    this.seen = 0;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = batch + 1;
    if (this.verbose !== 1 || !this.env.isTTY || this.seen >= this.steps) return;
    const now = this.env.clock();
    if (now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    this.redraw(renderRunningLine(this.seen, this.steps, (now - this.started) / 1000, logs, this.maxWidth()));
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    void epoch;
    const elapsed = (this.env.clock() - this.started) / 1000;
    if (this.verbose === 2) {
      this.env.write(`${renderEpochSummary(this.seen, this.steps, elapsed, logs)}\n`);
      return;
    }
    const line = renderEpochLine(this.seen, this.steps, elapsed, logs);
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
