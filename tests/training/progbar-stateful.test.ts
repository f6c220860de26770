import { describe, expect, it } from 'vitest';
import { ProgbarLogger } from '../../src/training/progress-logger.js';
import type { Logs } from '../../src/training/progress.js';

/** One epoch of three batches (sizes 2, 2, 1) driven by hand; returns the epoch's line as printed. */
function epochLine(logger: ProgbarLogger, batches: Logs[], epochLogs: Logs, sink: { out: string }): string {
  logger.setParams({ epochs: 1, initialEpoch: 0, steps: 3, samples: 5, batchSize: 2, verbose: 0, metrics: ['loss', 'accuracy'] });
  logger.onEpochBegin(0);
  const sizes = [2, 2, 1];
  batches.forEach((logs, i) => {
    logger.onBatchBegin(i, { batch: i, size: sizes[i] });
    logger.onBatchEnd(i, logs);
  });
  logger.onEpochEnd(0, epochLogs);
  return sink.out.split('\n').filter((l) => l.includes('loss'))[0];
}

const value = (line: string, key: string): number => Number(new RegExp(`${key}: ([-\\d.e]+)`).exec(line)?.[1]);

describe('ProgbarLogger statefulMetrics (Keras: keys not listed are averaged by the bar)', () => {
  const batches: Logs[] = [
    { loss: 0.9, accuracy: 0.5, custom: 1 },
    { loss: 0.7, accuracy: 0.6, custom: 4 },
    { loss: 0.6, accuracy: 0.8, custom: 10 },
  ];
  const epochLogs: Logs = { loss: 0.6, accuracy: 0.8, custom: 10 };

  it('averages a key a callback adds over the batches; loss and compiled metrics are shown as they are', () => {
    const sink = { out: '' };
    const line = epochLine(new ProgbarLogger({ verbose: 2 }, { write: (s) => void (sink.out += s), isTTY: false, clock: () => 0 }), batches, epochLogs, sink);
    expect(value(line, 'custom')).toBeCloseTo((1 + 4 + 10) / 3, 4);
    expect(value(line, 'loss')).toBeCloseTo(0.6, 4);
    expect(value(line, 'accuracy')).toBeCloseTo(0.8, 4);
  });

  it('weights the average by batch size with countMode samples', () => {
    const sink = { out: '' };
    const logger = new ProgbarLogger({ verbose: 2, countMode: 'samples' }, { write: (s) => void (sink.out += s), isTTY: false, clock: () => 0 });
    expect(value(epochLine(logger, batches, epochLogs, sink), 'custom')).toBeCloseTo((2 * 1 + 2 * 4 + 1 * 10) / 5, 4);
  });

  it('shows a key listed in statefulMetrics as it is', () => {
    const sink = { out: '' };
    const logger = new ProgbarLogger({ verbose: 2, statefulMetrics: ['custom'] }, { write: (s) => void (sink.out += s), isTTY: false, clock: () => 0 });
    expect(value(epochLine(logger, batches, epochLogs, sink), 'custom')).toBeCloseTo(10, 4);
  });

  it('refuses statefulMetrics that is not a list of names', () => {
    expect(() => new ProgbarLogger({ statefulMetrics: 'custom' as never })).toThrow(/statefulMetrics as an array of log key names, received "custom"/);
  });
});
