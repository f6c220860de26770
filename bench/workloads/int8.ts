import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nn from '../../src/index.js';
import { seededData } from '../data.js';
import { seconds } from '../stats.js';
import { Workload } from '../workload.js';
import { usePath } from '../paths.js';

/** One layer's inference, float32 vs its int8 twin from `quantize`, on the same weights and inputs. */
interface LayerSpec {
  id: string;
  title: string;
  /** Input shape, batch first. */
  shape: number[];
  layer(): nn.Layer;
  /** 7: quantize with `activationBits: 7`, and run both contenders on the runtime's best path (relaxed SIMD where it exists). */
  activationBits?: 7;
}

/**
 * Samples per second of `layer.apply` on the batch: the fastest of 15 timed calls after warm-up. The
 * minimum, not the median: on a shared machine other processes only ever add time.
 */
async function throughput(layer: nn.Layer, x: nn.Tensor): Promise<number> {
  const run = () => nn.noGrad(() => layer.apply(x));
  for (let i = 0; i < 3; i++) run();
  let best = Infinity;
  for (let t = 0; t < 15; t++) best = Math.min(best, await seconds(run));
  return x.shape[0] / best;
}

/**
 * W8: int8 inference against the float32 WebAssembly SIMD path on one thread (the int8 kernel is
 * single-threaded): 'neurite-simd' runs the float layer, 'neurite-int8' the quantized layer (int8
 * weights, dynamic int8 activations, i32x4.dot_i16x8_s). The row's ratio int8 / simd is the target.
 */
export function int8Workload(spec: LayerSpec): Workload {
  return {
    id: spec.id,
    title: spec.title,
    unit: 'samples/s',
    higherIsBetter: true,
    async setup() {
      nn.setSeed(1);
      const model = new nn.Sequential([spec.layer()]);
      model.layers[0].ensureBuilt([null, ...spec.shape.slice(1)]);
      const q = nn.quantize(model, 'int8', spec.activationBits === 7 ? { activationBits: 7 } : {});
      const x = nn.tensor(seededData(spec.shape.reduce((a, b) => a * b, 1), `${spec.id}-x`), spec.shape);
      if (spec.activationBits === 7) {
        // The automatic path on one thread: relaxed SIMD (float relaxed_madd, int8 relaxed dot) where the runtime has it.
        const auto = async (l: nn.Layer): Promise<number> => {
          const threads = nn.getNumThreads();
          nn.setNumThreads(1);
          try {
            return await throughput(l, x);
          } finally {
            nn.setNumThreads(threads);
          }
        };
        return { 'neurite-simd': async () => auto(model.layers[0]), 'neurite-int8': async () => auto(q.layers[0]) };
      }
      return {
        'neurite-simd': async () => usePath('neurite-simd', () => throughput(model.layers[0], x)),
        'neurite-int8': async () => usePath('neurite-simd', () => throughput(q.layers[0], x)),
      };
    },
  };
}

/** The int8 workloads: Dense from the breast-cancer MLP's first layer to a wide one, and Conv2D shapes. */
export const int8Specs: LayerSpec[] = [
  { id: 'W8-dense', title: 'inference Dense 1024→1024 (batch 64), f32 vs int8', shape: [64, 1024], layer: () => new nn.Dense(1024) },
  { id: 'W8-dense256', title: 'inference Dense 256→256 (batch 32), f32 vs int8', shape: [32, 256], layer: () => new nn.Dense(256) },
  { id: 'W8-dense30', title: 'inference Dense 30→64 (batch 32), f32 vs int8', shape: [32, 30], layer: () => new nn.Dense(64) },
  { id: 'W8-conv', title: 'inference Conv2D 3×3 32→64 on 16×16 (batch 16), f32 vs int8', shape: [16, 16, 16, 32], layer: () => new nn.Conv2D(64, 3, { padding: 'same' }) },
  { id: 'W8-conv28', title: 'inference Conv2D 3×3 16→32 on 28×28 (batch 8), f32 vs int8', shape: [8, 28, 28, 16], layer: () => new nn.Conv2D(32, 3, { padding: 'same' }) },
  // activationBits 7: the relaxed int8 dot product where the runtime has it (Node 22+), the plain int8 kernel elsewhere.
  { id: 'W8-dense256-a7', title: 'inference Dense 256→256 (batch 32), f32 vs int8 with 7-bit activations, best path', shape: [32, 256], layer: () => new nn.Dense(256), activationBits: 7 },
  { id: 'W8-conv-a7', title: 'inference Conv2D 3×3 32→64 on 16×16 (batch 16), f32 vs int8 with 7-bit activations, best path', shape: [16, 16, 16, 32], layer: () => new nn.Conv2D(64, 3, { padding: 'same' }), activationBits: 7 },
];

/** Bytes of the weights file in a saved model directory. */
function weightBytes(dir: string): number {
  return readdirSync(dir).filter((f) => f.endsWith('.bin')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** Resident weight bytes: quantized layers' own count, float32 for the rest. */
function residentBytes(model: nn.Model): number {
  return model.layers.reduce((n, l) => n + (nn.isQuantizedLayer(l) ? l.residentBytes : 4 * l.namedWeights().reduce((s, w) => s + w.value.size, 0)), 0);
}

/**
 * W8-bytes: int8 weights file and resident weight bytes as a fraction of float32 (target ≤ 0.27),
 * for the breast-cancer MLP 30-64-32-2 of examples/compress.ts and a CNN (conv 3×3 32, conv 3×3 64, dense 10).
 * Reported under 'neurite-int8' (the file ratio) and 'neurite' (the resident ratio); not a speed.
 */
export function int8BytesWorkload(which: 'mlp' | 'cnn'): Workload {
  return {
    id: `W8-bytes-${which}`,
    title: which === 'mlp' ? 'int8 / float32 bytes, MLP 30-64-32-2: neurite = resident, int8 = weights file' : 'int8 / float32 bytes, CNN conv32-conv64-dense10 on 28×28×1: neurite = resident, int8 = weights file',
    unit: '× float32',
    higherIsBetter: false,
    async setup() {
      nn.setSeed(1);
      const model =
        which === 'mlp'
          ? new nn.Sequential([new nn.Dense(64, { activation: 'relu', inputShape: [30] }), new nn.Dense(32, { activation: 'relu' }), new nn.Dense(2)])
          : new nn.Sequential([
            new nn.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }), new nn.MaxPooling2D({ poolSize: 2 }),
            new nn.Conv2D(64, 3, { activation: 'relu' }), new nn.MaxPooling2D({ poolSize: 2 }), new nn.Flatten(), new nn.Dense(10),
          ]);
      const q = nn.quantize(model, 'int8');
      const dir = mkdtempSync(join(tmpdir(), 'neurite-w8-'));
      try {
        await model.save(join(dir, 'f32'));
        await nn.saveQuantized(q, join(dir, 'int8'));
        const file = weightBytes(join(dir, 'int8')) / weightBytes(join(dir, 'f32'));
        const resident = residentBytes(q) / residentBytes(model);
        return { neurite: async () => resident, 'neurite-int8': async () => file };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
