// Each plot opened in a real browser: headless Chromium parses the SVG file (no XML error) and screenshots
// it; the PNG must have the picture's size, not be blank, and show the colour of what the plot draws.
import { describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderConfusionMatrixSvg, renderHistorySvg, renderModelSvg, renderRocSvg } from '../../src/plot/index.js';
import { historySize } from '../../src/plot/plot-history.js';
import { confusionMatrixSize } from '../../src/plot/confusion-matrix.js';
import { ROC_SIZE } from '../../src/plot/roc.js';
import { layoutGraph } from '../../src/plot/plot-model.js';
import { decodePng } from '../helpers/png.js';
import { seededValues } from './plot-inputs.js';

const run = promisify(execFile);
const browser = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
if (!browser && process.env.CI) throw new Error('CI must have Chromium for the SVG render test (.ci/run installs Debian\'s chromium)');
if (!browser) console.warn('SVG render test skipped: no chromium on PATH (apt-get install -y chromium)');

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--disable-dev-shm-usage'];

/** Chromium's view of the file: its DOM (to catch XML errors) and a screenshot at the picture's size. */
async function openInChromium(dir: string, name: string, svg: string, width: number, height: number) {
  const file = join(dir, `${name}.svg`);
  writeFileSync(file, svg);
  const png = join(dir, `${name}.png`);
  const profile = (k: string) => `--user-data-dir=${join(dir, `profile-${name}-${k}`)}`;
  const opts = { timeout: 60_000, maxBuffer: 16 << 20 };
  const [dom] = await Promise.all([
    run(browser as string, [...flags, profile('dom'), '--dump-dom', `file://${file}`], opts),
    run(browser as string, [...flags, profile('shot'), `--screenshot=${png}`, `--window-size=${width},${height}`, `file://${file}`], opts),
  ]);
  return { dom: dom.stdout, image: decodePng(readFileSync(png)) };
}

/** Pixels within 40 of the colour (sum of channel differences), and pixels that are not white. */
function count(image: ReturnType<typeof decodePng>, hex: string): { near: number; ink: number } {
  const target = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let near = 0;
  let ink = 0;
  for (let p = 0; p < image.width * image.height; p++) {
    const o = p * image.channels;
    const [r, g, b] = [image.pixels[o], image.pixels[o + 1], image.pixels[o + 2]];
    if (Math.abs(r - target[0]) + Math.abs(g - target[1]) + Math.abs(b - target[2]) < 40) near++;
    if (r + g + b < 740) ink++;
  }
  return { near, ink };
}

const { labels, scores } = seededValues(120);
const history = { history: { loss: [0.69, 0.5, 0.42, 0.4, 0.37], val_loss: [0.7, 0.58, 0.5, 0.49, 0.5], accuracy: [0.5, 0.7, 0.8, 0.82, 0.85], val_accuracy: [0.5, 0.62, 0.7, 0.71, 0.7] } };
const graph = { name: 'mlp', layers: [{ name: 'dense', className: 'Dense', outputShape: [null, 16] }, { name: 'dense_1', className: 'Dense', outputShape: [null, 1] }] };
const cases = [
  { name: 'history', svg: renderHistorySvg(history), size: historySize(2), color: '#1f77b4' },
  { name: 'confusion', svg: renderConfusionMatrixSvg(labels, scores), size: confusionMatrixSize(2), color: '#08306b' },
  { name: 'roc', svg: renderRocSvg(labels, scores), size: ROC_SIZE, color: '#1f77b4' },
  { name: 'model', svg: renderModelSvg(graph), size: layoutGraph(graph.layers), color: '#dbe9f6' },
];

describe.skipIf(!browser)('SVG plots in headless Chromium', () => {
  it.each(cases)('$name: parsed without error, screenshot of the expected size, not blank, drawn in its colour', async ({ name, svg, size, color }) => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-chromium-'));
    try {
      const { dom, image } = await openInChromium(dir, name, svg, size.width, size.height);
      expect(dom).toContain('<svg');
      expect(dom).not.toMatch(/parsererror|This page contains the following errors/);
      expect([image.width, image.height]).toEqual([size.width, size.height]);
      const { near, ink } = count(image, color);
      const area = image.width * image.height;
      expect(ink / area).toBeGreaterThan(0.01);
      expect(ink / area).toBeLessThan(0.9);
      expect(near).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
