/**
 * How each workload's cost grows with its size, for neurite (defaults) and PyTorch (one thread),
 * alternating per size: GEMM n (seconds per product), MLP training batch size (seconds per step),
 * SimpleRNN sequence length and CNN image side (seconds per epoch of a fixed sample count). Each family
 * also gets its growth exponent, log(cost_last / cost_first) / log(size_last / size_first): 3 for a
 * cubic GEMM, ~1 for cost linear in batch or sequence length, ~2 in image side. TF.js is left out
 * (its cpu backend alone would take many minutes at the large sizes).
 */
import { gemmWorkload } from './workloads/gemm.js';
import { trainWorkload, type ModelSpec } from './workloads/training.js';
import { cnnSpecFor, mlpSpec, rnnSpecFor } from './workloads/specs.js';
import type { Contender, Workload } from './workload.js';

/** One family's measurements: cost per size and library, in `unit`. */
export interface ScalingFamily {
  name: string;
  unit: string;
  sizes: number[];
  cost: Partial<Record<'neurite' | 'pytorch', number[]>>;
}

interface Family {
  name: string;
  unit: string;
  sizes: number[];
  /** The workload at one size and how its measurement becomes a cost. */
  at(size: number): { workload: Workload; neurite: Contender; cost(value: number): number };
}

function training(spec: ModelSpec, perStep = false) {
  const steps = Math.ceil(spec.samples / spec.batchSize);
  // samples/s → seconds per epoch (or per step)
  return { workload: trainWorkload(spec, 1), neurite: 'neurite' as Contender, cost: (v: number) => spec.samples / v / (perStep ? steps : 1) };
}

function families(quick: boolean): Family[] {
  return [
    {
      name: 'GEMM n×n·n×n',
      unit: 's per product',
      sizes: quick ? [128, 256] : [128, 256, 512, 1024, 2048],
      at: (n) => ({ workload: gemmWorkload(n), neurite: 'neurite', cost: (gflops) => (2 * n ** 3) / (gflops * 1e9) }),
    },
    {
      name: 'MLP 784-256-128-1 training, batch size',
      unit: 's per step',
      sizes: quick ? [1, 16] : [1, 4, 16, 64, 256],
      at: (b) => training(mlpSpec('W2', `batch ${b}`, Math.max(256, 4 * b), b), true),
    },
    {
      name: 'SimpleRNN 32 training, sequence length',
      unit: 's per epoch of 256',
      sizes: quick ? [10, 50] : [10, 50, 100, 200, 400],
      at: (t) => training(rnnSpecFor(t, 256, 32)),
    },
    {
      name: 'CNN training, image side',
      unit: 's per epoch of 128',
      sizes: quick ? [14, 28] : [14, 28, 56, 112],
      at: (side) => training(cnnSpecFor(side, 128, 32)),
    },
  ];
}

/** Measures every family, printing progress to stderr. */
export async function measureScaling(quick: boolean): Promise<ScalingFamily[]> {
  const out: ScalingFamily[] = [];
  for (const f of families(quick)) {
    const result: ScalingFamily = { name: f.name, unit: f.unit, sizes: f.sizes, cost: {} };
    for (const size of f.sizes) {
      const { workload, neurite, cost } = f.at(size);
      const runners = await workload.setup();
      for (const [who, contender] of [['neurite', neurite], ['pytorch', 'pytorch']] as const) {
        const run = runners[contender];
        if (run === undefined) continue;
        process.stderr.write(`    scaling ${f.name} ${size}: ${who}…\n`);
        (result.cost[who] ??= []).push(cost(await run()));
      }
    }
    out.push(result);
  }
  return out;
}

/** log(cost_last / cost_first) / log(size_last / size_first). */
export function growthExponent(sizes: number[], cost: number[]): number {
  return Math.log(cost[cost.length - 1] / cost[0]) / Math.log(sizes[sizes.length - 1] / sizes[0]);
}

/** The families as markdown tables. */
export function renderScaling(fams: ScalingFamily[]): string {
  const lines: string[] = ['How cost grows with size (neurite defaults vs PyTorch 1 thread):'];
  const e = (v: number) => (v >= 0.1 ? v.toFixed(3) : v.toExponential(2));
  for (const f of fams) {
    lines.push('', `${f.name} (${f.unit})`, '| size | neurite | pytorch | neurite / pytorch speed |', '|---|---|---|---|');
    const n = f.cost.neurite ?? [];
    const p = f.cost.pytorch ?? [];
    f.sizes.forEach((s, i) => {
      const ratio = n[i] !== undefined && p[i] !== undefined ? (p[i] / n[i]).toFixed(2) : '';
      lines.push(`| ${s} | ${n[i] === undefined ? '' : e(n[i])} | ${p[i] === undefined ? '' : e(p[i])} | ${ratio} |`);
    });
    const exps = [['neurite', n], ['pytorch', p]].filter(([, c]) => (c as number[]).length === f.sizes.length);
    lines.push(`growth exponent: ${exps.map(([who, c]) => `${who} ${growthExponent(f.sizes, c as number[]).toFixed(2)}`).join(', ')}`);
  }
  return lines.join('\n');
}
