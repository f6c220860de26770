import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { columnWidths, defaultLineLength, groupDigits, readableBytes, renderSummary, SummaryRow, wrapCell } from '../../src/models/summary.js';

/** The rows a model's summary shows, read from its (built) layers. */
function rowsOf(model: Sequential): SummaryRow[] {
  return model.layers.map((l) => ({ name: l.name, className: l.className, outputShape: l.outputShape, params: l.countParams() }));
}

/** Dense 30 → 16 → 8 → 1, named as Keras names a fresh Sequential's layers. */
function kerasTutorialModel(): Sequential {
  const model = new Sequential(
    [new Dense(16, { activation: 'relu', inputShape: [30], name: 'dense' }), new Dense(8, { activation: 'relu', name: 'dense_1' }), new Dense(1, { activation: 'sigmoid', name: 'dense_2' })],
    { name: 'sequential' },
  );
  model.predict([new Array(30).fill(0)]);
  return model;
}

describe('summary in Keras 3 layout', () => {
  it('matches Keras 3 output for the same model, character for character (80-column terminal: lineLength 76)', () => {
    // Keras 3.x `model.summary()` of this model in an 80-column terminal, as published in a Keras tutorial.
    const keras = [
      'Model: "sequential"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ dense (Dense)                   │ (None, 16)             │           496 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ dense_1 (Dense)                 │ (None, 8)              │           136 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ dense_2 (Dense)                 │ (None, 1)              │             9 │',
      '└─────────────────────────────────┴────────────────────────┴───────────────┘',
      ' Total params: 641 (2.50 KB)',
      ' Trainable params: 641 (2.50 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ].join('\n');
    const model = kerasTutorialModel();
    expect(renderSummary('sequential', rowsOf(model), 641, 0, { lineLength: defaultLineLength(80) })).toBe(keras);
  });

  it('wraps a long cell onto extra lines at a space, as Keras does for batch_normalization_1 (BatchNormalization)', () => {
    // Keras 3 output (80-column terminal) for a BatchNormalization layer, published in a training log.
    const keras = [
      '│ batch_normalization_1           │ (None, 64)             │           256 │',
      '│ (BatchNormalization)            │                        │               │',
    ];
    const rows: SummaryRow[] = [{ name: 'batch_normalization_1', className: 'BatchNormalization', outputShape: [null, 64], params: 256 }];
    const lines = renderSummary('m', rows, 128, 128, { lineLength: 76 }).split('\n');
    expect(lines.slice(4, 6)).toEqual(keras);
    expect(lines.slice(-2)).toEqual([' Trainable params: 128 (512.00 B)', ' Non-trainable params: 128 (512.00 B)']);
  });

  it('default 88 columns: Keras column bounds 0.45 / 0.80 of the line, rich taking 10 back (3, 4, 3)', () => {
    // floor(.45·88) = 39, floor(.8·88) − 39 = 31, 88 − 70 = 18; +2 padding each = 94, table room 84.
    expect(columnWidths(88)).toEqual([36, 27, 15]);
    // 76: 34, 26, 16 → 36, 28, 18 (82) into 72 → 33, 24, 15 with padding: the published widths above.
    expect(columnWidths(76)).toEqual([31, 22, 13]);
    const text = kerasTutorialModel().summary();
    const lines = text.split('\n');
    expect(lines.slice(1, 10).every((l) => l.length === 88)).toBe(true);
    expect(lines[4]).toBe(`│ ${'dense (Dense)'.padEnd(36)} │ ${'(None, 16)'.padEnd(27)} │ ${'496'.padStart(15)} │`);
    expect(() => renderSummary('m', [], 0, 0, { lineLength: 8 })).toThrow(/too narrow/);
  });

  it('numbers and sizes as Keras prints them', () => {
    expect(groupDigits(1384576)).toBe('1,384,576');
    expect(groupDigits(641)).toBe('641');
    expect(readableBytes(0)).toBe('0.00 B');
    expect(readableBytes(2564)).toBe('2.50 KB');
    // 139,777 params (Keras: 546.00 KB); 5,886,417 params (Keras: 22.45 MB).
    expect(readableBytes(139777 * 4)).toBe('546.00 KB');
    expect(readableBytes(5886417 * 4)).toBe('22.45 MB');
    expect(wrapCell('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(defaultLineLength(undefined)).toBe(88);
    expect(defaultLineLength(200)).toBe(88);
  });

  it('model.summary() prints the table (as Keras) and returns it; printSummary is an alias; lineLength', () => {
    const model = kerasTutorialModel();
    const printed: string[] = [];
    const log = console.log;
    console.log = (text: string) => void printed.push(text);
    try {
      const text = model.summary({ lineLength: 76 });
      model.printSummary();
      expect(printed[0]).toBe(text);
      expect(printed).toHaveLength(2);
      expect(text.split('\n')[1]).toHaveLength(76);
    } finally {
      console.log = log;
    }
  });

  it('an unbuilt layer shows 0 (unbuilt) and an unknown shape ?', () => {
    const text = renderSummary('m', [{ name: 'd', className: 'Dense', outputShape: null, params: 0, built: false }], 0, 0);
    expect(text).toMatch(/│ d \(Dense\) +│ \? +│ +0 \(unbuilt\) │/);
  });
});
