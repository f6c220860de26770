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
      const q = nn.quantize(model, 'int8');
      const x = nn.tensor(seededData(spec.shape.reduce((a, b) => a * b, 1), `${spec.id}-x`), spec.shape);
      return {
        'neurite-simd': async () => usePath('neurite-simd', () => throughput(model.layers[0], x)),
        'neurite-int8': async () => usePath('neurite-simd', () => throughput(q.layers[0], x)),
      };
    },
  };
}

/** The int8 workloads: a wide Dense and a mid-sized Conv2D. */
export const int8Specs: LayerSpec[] = [
  { id: 'W8-dense', title: 'inference Dense 1024→1024 (batch 64), f32 vs int8', shape: [64, 1024], layer: () => new nn.Dense(1024) },
  { id: 'W8-conv', title: 'inference Conv2D 3×3 32→64 on 16×16 (batch 16), f32 vs int8', shape: [16, 16, 16, 32], layer: () => new nn.Conv2D(64, 3, { padding: 'same' }) },
];
