/**
 * Where does a CNN look? `npx tsx examples/explain-cnn.ts`
 * Trains the crosses-vs-circles CNN of cnn-shapes.ts, then saves, for a few test images, the saliency map
 * (|∂p/∂pixel|, smoothed) and the Grad-CAM map of the second convolution as PNG heatmaps over the image.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Conv2D, explain, reshape, slice } from '../src/index.js';
import { cnnShapes } from './cnn-shapes.js';

/** Trains the CNN and writes two heatmaps per image to `outDir`; returns the file paths. */
export async function explainCnn({ epochs = 12, samples = 1600, images = 4, outDir = 'example-output', verbose = 1 }: { epochs?: number; samples?: number; images?: number; outDir?: string; verbose?: 0 | 1 } = {}) {
  const { model, test, testAccuracy } = await cnnShapes({ epochs, samples, testSamples: Math.max(images, 50), verbose: 0 });
  const conv = model.layers.filter((l) => l instanceof Conv2D).at(-1)!;
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < images; i++) {
    const image = slice(test.x, [i, 0, 0, 0], [1, -1, -1, -1]);
    const kind = test.y[i] === 1 ? 'cross' : 'circle';
    const sal = explain.smoothGrad(model, image, { target: 0, samples: 8, noiseLevel: 0.1, seed: i });
    const cam = explain.gradCam(model, image, { layerName: conv.name, target: 0 });
    files.push(explain.saveHeatmap(join(dir, `saliency-${i}-${kind}.png`), reshape(sal, [sal.shape[1], sal.shape[2]]), { image, scale: 8 }));
    files.push(explain.saveHeatmap(join(dir, `gradcam-${i}-${kind}.png`), cam, { image, scale: 8 }));
  }
  if (verbose > 0) console.log(`test accuracy ${testAccuracy.toFixed(3)}; heatmaps: ${files.join(', ')}`);
  return { files, testAccuracy };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await explainCnn();
}
