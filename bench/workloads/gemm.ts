import { matmul, tensor } from '../../src/index.js';
import { seededData } from '../data.js';
import { tf, usePeer } from '../peers.js';
import { median, seconds } from '../stats.js';
import { Contender, Workload } from '../workload.js';
import { usePath } from '../paths.js';
import { torchRunner } from '../torch.js';

/** GFLOPS of `fn` doing one n×n·n×n product per call: 2n³ flops, best of a few timed calls after warm-up. */
async function gflops(n: number, fn: () => void): Promise<number> {
  const reps = Math.max(1, Math.round(2e8 / (2 * n ** 3)));
  for (let i = 0; i < Math.min(reps, 3); i++) fn(); // warm-up: lets V8 optimise, TF.js allocate
  const times: number[] = [];
  for (let t = 0; t < 3; t++) times.push((await seconds(() => { for (let i = 0; i < reps; i++) fn(); })) / reps);
  return (2 * n ** 3) / median(times) / 1e9;
}

/** W1: square GEMM C = A·B at size n. */
export function gemmWorkload(n: number): Workload {
  return {
    id: `W1-${n}`,
    title: `GEMM ${n}×${n}`,
    unit: 'GFLOPS',
    higherIsBetter: true,
    async setup() {
      const a = seededData(n * n, `gemm-a-${n}`);
      const b = seededData(n * n, `gemm-b-${n}`);
      const na = tensor(a, [n, n]);
      const nb = tensor(b, [n, n]);
      const neurite = (path: Contender) => async () => usePath(path, () => gflops(n, () => matmul(na, nb)));
      const peer = (name: 'tfjs-cpu' | 'tfjs-wasm') => async () => {
        if (!(await usePeer(name))) return NaN;
        const ta = tf.tensor2d(a, [n, n]);
        const tb = tf.tensor2d(b, [n, n]);
        // NOTE: no tf.tidy here: inside tidy the wasm backend ran ~8× slower in this harness; dispose by hand.
        const r = await gflops(n, () => {
          const c = tf.matMul(ta, tb);
          c.dataSync();
          c.dispose();
        });
        ta.dispose();
        tb.dispose();
        return r;
      };
      return {
        neurite: neurite('neurite'),
        'neurite-js': neurite('neurite-js'),
        'neurite-simd': neurite('neurite-simd'),
        'neurite-threads': neurite('neurite-threads'),
        'tfjs-cpu': peer('tfjs-cpu'),
        'tfjs-wasm': peer('tfjs-wasm'),
        pytorch: torchRunner({ kind: 'gemm', n }),
      };
    },
  };
}
