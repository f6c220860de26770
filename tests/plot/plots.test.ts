import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confusionMatrix, plotConfusionMatrix, plotHistory, plotModel, plotRoc, renderHistorySvg, renderModelSvg, rocCurve } from '../../src/plot/index.js';
import { historySize } from '../../src/plot/plot-history.js';
import { layerDepths } from '../../src/plot/plot-model.js';
import { niceTicks } from '../../src/plot/axes.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { tensor } from '../../src/tensor/creation.js';
import { seededValues } from './plot-inputs.js';

/** AUC as the Mann–Whitney statistic: the share of (positive, negative) pairs ordered right, ties counting half. */
function pairwiseAuc(labels: number[], scores: number[]): number {
  let good = 0;
  let pairs = 0;
  labels.forEach((a, i) =>
    labels.forEach((b, j) => {
      if (a !== 1 || b !== 0) return;
      pairs++;
      good += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }),
  );
  return good / pairs;
}

/** Tags opened and closed in order (a well-formedness check of the markup's nesting). */
function tagsBalance(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]);
  }
  return stack.length === 0;
}

describe('ROC and AUC', () => {
  it('hand-derived curve for 4 samples', () => {
    // Scores 0.8 (+), 0.4 (−), 0.35 (+), 0.1 (−): steps (0, .5), (.5, .5), (.5, 1), (1, 1); area 0.75.
    const roc = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(roc.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(roc.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(roc.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(roc.auc).toBe(0.75);
  });

  it('AUC equals the pairwise (Mann–Whitney) probability, ties included', () => {
    const { labels, scores } = seededValues(200);
    // Rounded scores make many ties.
    const tied = scores.map((s) => Math.round(s * 10) / 10);
    expect(rocCurve(labels, scores).auc).toBeCloseTo(pairwiseAuc(labels, scores), 12);
    expect(rocCurve(labels, tied).auc).toBeCloseTo(pairwiseAuc(labels, tied), 12);
  });

  it('rejects one-class labels and mismatched lengths', () => {
    expect(() => rocCurve([1, 1], [0.2, 0.4])).toThrow(/both classes/);
    expect(() => rocCurve([0, 1], [0.2])).toThrow(/2 samples, yScore 1/);
    expect(() => rocCurve([0, 2], [0.2, 0.1])).toThrow(/binary label/);
  });
});

describe('confusion matrix', () => {
  it('rows are true classes; probabilities thresholded at 0.5, score rows by argmax', () => {
    expect(confusionMatrix([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.6, 0.5])).toEqual([[1, 1], [1, 2]]);
    expect(confusionMatrix([2, 0, 1], tensor([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1], [0.3, 0.3, 0.4]]))).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 1]]);
    expect(confusionMatrix([0, 1], [0.3, 0.3], { threshold: 0.25 })).toEqual([[0, 1], [0, 1]]);
    expect(() => confusionMatrix([0, 1], [0, 1], { treshold: 0.3 } as never)).toThrow(/unknown option 'treshold'/);
  });
});

describe('SVG files', () => {
  const history = { epoch: [0, 1, 2], history: { loss: [0.7, 0.5, 0.4], accuracy: [0.5, 0.7, 0.8], val_loss: [0.72, 0.6, 0.55], val_accuracy: [0.45, 0.6, 0.7] } };

  it('history: one panel per metric, train solid and validation dashed, sized by the panel grid', () => {
    const svg = renderHistorySvg(history);
    expect(tagsBalance(svg)).toBe(true);
    const { width, height } = historySize(2);
    expect(svg).toContain(`width="${width}" height="${height}"`);
    expect(svg.match(/<polyline/g)).toHaveLength(4);
    expect(svg.match(/stroke-dasharray="6 3"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(() => renderHistorySvg({ history: {} })).toThrow(/no values/);
  });

  it('model graph: a Sequential is drawn as a chain; a graph by its inbound names', () => {
    const model = new Sequential([new Dense(4, { inputShape: [3], name: 'hidden' }), new Dropout(0.5, { name: 'drop' }), new Dense(1, { name: 'out' })], { name: 'mlp' });
    model.predict([[1, 2, 3]]);
    const svg = renderModelSvg(model);
    expect(tagsBalance(svg)).toBe(true);
    expect(svg).toContain('hidden (Dense)');
    expect(svg).toContain('(None, 4)');
    expect(svg.match(/<line[^>]*marker-end/g)).toHaveLength(2);
    const graph = [
      { name: 'a', className: 'InputLayer', inbound: [] },
      { name: 'b', className: 'Dense', inbound: ['a'] },
      { name: 'c', className: 'Dense', inbound: ['a'] },
      { name: 'd', className: 'Add', inbound: ['b', 'c'] },
      { name: 'e', className: 'Dense', inbound: ['a', 'd'] },
    ];
    expect(layerDepths(graph)).toEqual([0, 1, 1, 2, 3]);
    expect(() => renderModelSvg({ layers: [{ name: 'x', className: 'Dense', inbound: ['nope'] }] })).toThrow(/not one of the model's layers/);
  });

  it('writes files and returns their paths; plotRoc also returns the AUC; text is escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-plot-'));
    try {
      expect(readFileSync(await plotHistory(history, join(dir, 'h.svg')), 'utf8')).toMatch(/^<\?xml/);
      const cm = await plotConfusionMatrix([0, 1, 1], [0, 1, 0], join(dir, 'cm.svg'), { labels: ['<no>', 'yes & more'] });
      expect(readFileSync(cm, 'utf8')).toContain('&lt;no&gt;');
      expect(readFileSync(cm, 'utf8')).toContain('yes &amp; more');
      const { path, auc } = await plotRoc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], join(dir, 'roc.svg'));
      expect(auc).toBe(0.75);
      expect(readFileSync(path, 'utf8')).toContain('AUC = 0.750');
      expect(tagsBalance(readFileSync(await plotModel({ name: 'g', layers: [{ name: 'a', className: 'Dense' }] }, join(dir, 'm.svg')), 'utf8'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ticks: round steps covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.37, 0.71, 5)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    expect(niceTicks(1, 3, 6)).toEqual([1, 1.5, 2, 2.5, 3]);
  });
});
