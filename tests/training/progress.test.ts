import { describe, expect, it } from 'vitest';
import {
  formatBar,
  formatEpochHeader,
  formatEta,
  formatLogs,
  formatPerStep,
  formatValue,
  renderEpochLine,
  renderEpochSummary,
  renderRunningLine,
} from '../../src/training/progress.js';
import { ProgressEnvironment, ProgressLogger } from '../../src/training/progress-logger.js';
import { TrainingParams } from '../../src/training/callbacks.js';

describe('progress rendering (pure functions)', () => {
  it('bar: = for the done part, > as its head while running, . for the rest, count padded to the target width', () => {
    expect(formatBar(12, 32)).toBe('12/32 [==========>...................]');
    expect(formatBar(3, 32)).toBe(' 3/32 [=>............................]');
    expect(formatBar(32, 32)).toBe('32/32 [==============================]');
    expect(formatBar(0, 5)).toBe('0/5 [..............................]');
    expect(formatBar(1, 4, 8)).toBe('1/4 [=>......]');
  });

  it('values: 4 decimals, scientific with two exponent digits for tiny ones', () => {
    expect(formatValue(0.69314718)).toBe('0.6931');
    expect(formatValue(0.52)).toBe('0.5200');
    expect(formatValue(12.3456789)).toBe('12.3457');
    expect(formatValue(0.000123456)).toBe('1.2346e-04');
    expect(formatValue(0)).toBe('0.0000e+00');
    expect(formatValue(NaN)).toBe('nan');
    expect(formatLogs({ loss: 0.69314718, accuracy: 0.52 })).toBe(' - loss: 0.6931 - accuracy: 0.5200');
    expect(formatLogs({})).toBe('');
  });

  it('times: ETA as s, m:ss, h:mm:ss; per step in s, ms or us', () => {
    expect(formatEta(0.4)).toBe('0s');
    expect(formatEta(59.6)).toBe('1:00');
    expect(formatEta(125)).toBe('2:05');
    expect(formatEta(3725)).toBe('1:02:05');
    expect(formatPerStep(2.2)).toBe('2s/step');
    expect(formatPerStep(0.031)).toBe('31ms/step');
    expect(formatPerStep(0.00025)).toBe('250us/step');
    expect(formatEpochHeader(2, 100)).toBe('Epoch 3/100');
  });

  it('lines: running (ETA), end of epoch (verbose 1), one-line summary (verbose 2)', () => {
    // 12 steps in 1.2 s: 0.1 s a step, 20 to go → ETA 2 s.
    expect(renderRunningLine(12, 32, 1.2, { loss: 0.69314718, accuracy: 0.52 })).toBe(
      '12/32 [==========>...................] - ETA: 2s - loss: 0.6931 - accuracy: 0.5200',
    );
    expect(renderEpochLine(32, 32, 0.992, { loss: 0.5, val_loss: 0.6 })).toBe(
      '32/32 [==============================] - 1s 31ms/step - loss: 0.5000 - val_loss: 0.6000',
    );
    expect(renderEpochSummary(32, 32, 0.992, { loss: 0.5 })).toBe('32/32 - 1s - loss: 0.5000 - 992ms/epoch - 31ms/step');
  });
});

/** A writer that records everything and a clock the test moves by hand. */
function fakeEnvironment(isTTY: boolean, cols = 200): ProgressEnvironment & { out: string; now: number; cols: number } {
  const env = { out: '', now: 0, cols, isTTY, write: (s: string) => void (env.out += s), clock: () => env.now, columns: () => env.cols };
  return env;
}

const params: TrainingParams = { epochs: 2, initialEpoch: 0, steps: 4, samples: 100, batchSize: 25, verbose: 1, metrics: ['loss', 'accuracy'] };

/** Drives one epoch of 4 batches at times 10, 30, 70, 90 ms, ending at 1500 ms. */
function driveEpoch(logger: ProgressLogger, env: { now: number }): void {
  logger.setParams(params);
  env.now = 0;
  logger.onEpochBegin(0);
  const times = [10, 30, 70, 90];
  times.forEach((t, b) => {
    env.now = t;
    logger.onBatchEnd(b, { loss: 0.5 - 0.1 * b, accuracy: 0.25 * (b + 1) });
  });
  env.now = 1500;
  logger.onEpochEnd(0, { loss: 0.2, accuracy: 1, val_loss: 0.25, val_accuracy: 0.75 });
}

describe('ProgressLogger', () => {
  it('TTY, verbose 1 (wide terminal): redraws in place at most every 50 ms, then the final line (snapshot)', () => {
    const env = fakeEnvironment(true);
    driveEpoch(new ProgressLogger(1, env), env);
    // 1/4: floor(30/4) = 7 done cells (6 '=' and the '>' head); 3/4: floor(22.5) = 22.
    const first = '1/4 [======>.......................] - ETA: 0s - loss: 0.5000 - accuracy: 0.2500';
    const third = '3/4 [=====================>........] - ETA: 0s - loss: 0.3000 - accuracy: 0.7500';
    const final = '4/4 [==============================] - 2s 375ms/step - loss: 0.2000 - accuracy: 1.0000 - val_loss: 0.2500 - val_accuracy: 0.7500';
    // Batch 2 (at 30 ms, 20 ms after the last draw) is skipped; batch 4 is the end of the epoch, drawn by onEpochEnd.
    expect(env.out).toBe(`Epoch 1/2\n\r${first}\r${third}\r${final}\n`);
  });

  it('TTY: a shorter line blanks the rest of the previous one', () => {
    const env = fakeEnvironment(true);
    const logger = new ProgressLogger(1, env);
    logger.setParams({ ...params, steps: 3 });
    logger.onEpochBegin(0);
    env.now = 100;
    logger.onBatchEnd(0, { loss: 0.5, accuracy: 0.25 });
    env.now = 200;
    logger.onBatchEnd(1, { loss: 0.5 });
    const long = '1/3 [=========>....................] - ETA: 0s - loss: 0.5000 - accuracy: 0.2500';
    const short = '2/3 [===================>..........] - ETA: 0s - loss: 0.5000';
    expect(env.out).toBe(`Epoch 1/2\n\r${long}\r${short}${' '.repeat(long.length - short.length)}`);
  });

  it('not a TTY, verbose 1: the header and one final line per epoch, no carriage returns (snapshot)', () => {
    const env = fakeEnvironment(false);
    driveEpoch(new ProgressLogger(1, env), env);
    expect(env.out).toBe(
      'Epoch 1/2\n4/4 [==============================] - 2s 375ms/step - loss: 0.2000 - accuracy: 1.0000 - val_loss: 0.2500 - val_accuracy: 0.7500\n',
    );
  });

  it('verbose 2: the header and a one-line summary, on a TTY too (snapshot)', () => {
    const env = fakeEnvironment(true);
    driveEpoch(new ProgressLogger(2, env), env);
    expect(env.out).toBe(
      'Epoch 1/2\n4/4 - 2s - loss: 0.2000 - accuracy: 1.0000 - val_loss: 0.2500 - val_accuracy: 0.7500 - 1500ms/epoch - 375ms/step\n',
    );
  });
});

describe('progress bar width', () => {
  /** The redrawn pieces: what each `\r` writes, and the epoch's final line. */
  const redraws = (out: string) => out.split('\n')[1].split('\r').slice(1);

  it('80 columns: a line that would fill all 80 drops metrics from the right, with an ellipsis; the bar keeps its width', () => {
    const env = fakeEnvironment(true, 80);
    driveEpoch(new ProgressLogger(1, env), env);
    const [first, third, final] = redraws(env.out);
    // In full these are 80 characters: at 79 (one short of the width, so the terminal never wraps) accuracy goes.
    expect(first).toBe('1/4 [======>.......................] - ETA: 0s - loss: 0.5000 - …');
    expect(third).toBe('3/4 [=====================>........] - ETA: 0s - loss: 0.3000 - …');
    // The final line of the epoch is not redrawn, so it keeps every metric (and may wrap).
    expect(final).toBe('4/4 [==============================] - 2s 375ms/step - loss: 0.2000 - accuracy: 1.0000 - val_loss: 0.2500 - val_accuracy: 0.7500');
  });

  it('40 columns: with no metric left the bar shrinks to fit', () => {
    const env = fakeEnvironment(true, 40);
    driveEpoch(new ProgressLogger(1, env), env);
    const [first, third] = redraws(env.out);
    // 39 = 6 ("1/4 []") + 10 (" - ETA: 0s") + 4 (" - …") + a bar of 19: 1/4 of 19 → 4 cells, 3/4 → 14.
    expect(first).toBe('1/4 [===>...............] - ETA: 0s - …');
    expect(third).toBe('3/4 [=============>.....] - ETA: 0s - …');
    expect(first.length).toBe(39);
  });

  it('re-reads the width at every redraw (a resize takes effect at once) and never blanks past it', () => {
    const env = fakeEnvironment(true, 100);
    const logger = new ProgressLogger(1, env);
    logger.setParams({ ...params, steps: 10 });
    logger.onEpochBegin(0);
    const logs = { loss: 0.5, accuracy: 0.25, precision: 0.5 };
    env.now = 100;
    logger.onBatchEnd(0, logs);
    env.cols = 60;
    env.now = 200;
    logger.onBatchEnd(1, logs);
    const [wide, narrow] = env.out.split('\n')[1].split('\r').slice(1);
    expect(wide).toBe(' 1/10 [==>...........................] - ETA: 1s - loss: 0.5000 - accuracy: 0.2500 - …');
    // 59 columns for the line and its trailing blanks together.
    expect(narrow).toBe(' 2/10 [=====>........................] - ETA: 1s - …'.padEnd(59));
  });

  it('fitLine: drops metrics before the bar, cuts only when nothing else is left', async () => {
    const { fitLine } = await import('../../src/training/progress.js');
    const logs = { loss: 0.5, accuracy: 0.25 };
    expect(fitLine(2, 4, ' - ETA: 1s', logs, 200)).toBe('2/4 [==============>...............] - ETA: 1s - loss: 0.5000 - accuracy: 0.2500');
    expect(fitLine(2, 4, ' - ETA: 1s', logs, 66)).toBe('2/4 [==============>...............] - ETA: 1s - loss: 0.5000 - …');
    expect(fitLine(2, 4, ' - ETA: 1s', {}, 30)).toBe('2/4 [======>.......] - ETA: 1s');
    expect(fitLine(2, 4, ' - ETA: 1s', logs, 10)).toBe('2/4 [] - E');
  });
});
