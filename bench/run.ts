/**
 * `npm run bench`: every workload for neurite and for TensorFlow.js (cpu backend, and wasm where it runs), in one
 * invocation, alternating contenders, and PyTorch on one thread where a python3 can import torch (bench/torch.ts);
 * prints a table of medians with ratios, how cost grows with size (bench/scaling.ts), peak RSS per workload
 * (bench/memory.ts), and writes bench/results/latest.json.
 * The DATA workload (bench/data-epoch.ts: a CSV streamed vs in memory) runs last; `--data-gb N` sets its file
 * size (default 1, `--quick` 0.1), `--only DATA` runs it alone.
 * Options: `--only W1,W2,SCALING,RSS,DATA` to select workloads and sections, `--quick` for small sizes and sample
 * counts everywhere (checks that it all works in a few minutes), `--no-torch` to leave PyTorch out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmWorkload } from './workloads/gemm.js';
import { predictWorkload, trainWorkload } from './workloads/training.js';
import { cnnSpec, cnnSpecFor, mlpSpec, rnnSpec, rnnSpecFor } from './workloads/specs.js';
import { seedExampleWorkload } from './workloads/seed-example.js';
import { int8BytesWorkload, int8Specs, int8Workload } from './workloads/int8.js';
import { Contender, Workload } from './workload.js';
import { closeTorch, torchPeer } from './torch.js';
import { measureScaling, renderScaling, type ScalingFamily } from './scaling.js';
import { peakMemory, renderMemory, type MemoryTable } from './memory.js';
import { DataBenchResult, describeDataBench, runDataBench } from './data-epoch.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const quick = args.includes('--quick');

const workloads: Workload[] = [
  ...(quick ? [128, 256] : [128, 256, 512, 1024]).map(gemmWorkload),
  quick
    ? trainWorkload(mlpSpec('W2', 'train MLP 784-256-128-1 (batch 64, 512 samples; quick)', 512, 64), 1)
    : trainWorkload(mlpSpec('W2', 'train MLP 784-256-128-1 (batch 64, 4096 samples)', 4096, 64)),
  // TF.js's wasm backend has no gradient kernels for conv2d (its fit fails and left TF.js unusable here),
  // and TF.js cpu needs ~35 s per epoch: one trial after the warm-up.
  trainWorkload(quick ? cnnSpecFor(28, 64, 32, 'train CNN 28×28 (batch 32, 64 samples; quick)') : cnnSpec, 1, { wasm: false }),
  quick ? trainWorkload(rnnSpecFor(50, 128, 32, 'train SimpleRNN 32, 50×8 (batch 32, 128 samples; quick)'), 1) : trainWorkload(rnnSpec),
  predictWorkload(quick ? mlpSpec('W5', 'predict MLP 784-256-128-1 (1,000 samples; quick)', 1000, 32) : mlpSpec('W5', 'predict MLP 784-256-128-1 (10,000 samples)', 10_000, 32)),
  seedExampleWorkload,
  ...int8Specs.map(int8Workload),
  int8BytesWorkload('mlp'),
  int8BytesWorkload('cnn'),
].filter((w) => only === null || only.some((o) => w.id === o || w.id.startsWith(`${o}-`)));

const ORDER: Contender[] = ['neurite', 'neurite-js', 'neurite-simd', 'neurite-threads', 'neurite-int8', 'tfjs-cpu', 'tfjs-wasm', 'pytorch'];
type Peer = 'tfjs-cpu' | 'tfjs-wasm' | 'pytorch';

interface Row {
  id: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  results: Partial<Record<Contender, number>>;
}

/** neurite's best result over the peer's, oriented so that > 1 means neurite is faster. */
function ratio(row: Row, peer: Peer): number {
  const ours = ORDER.filter((c) => c.startsWith('neurite')).map((c) => row.results[c]).filter((v): v is number => v !== undefined && !Number.isNaN(v));
  const theirs = row.results[peer];
  if (ours.length === 0 || theirs === undefined || Number.isNaN(theirs)) return NaN;
  const best = row.higherIsBetter ? Math.max(...ours) : Math.min(...ours);
  return row.higherIsBetter ? best / theirs : theirs / best;
}

function fmt(v: number | undefined): string {
  if (v === undefined) return '';
  if (Number.isNaN(v)) return 'n/a';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

let finished = false;
process.on('exit', () => {
  if (!finished) console.error('bench: stopped early: a contender\'s promise never settled (its library hung)');
});

async function main(): Promise<void> {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  console.log(`neurite benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  const torch = torchPeer();
  const torchInfo = torch === null ? null : String(await torch.request({ kind: 'info' }));
  if (torchInfo !== null) console.log(`peer: ${torchInfo} (bench/torch_peer.py)`);
  const rows: Row[] = [];
  for (const w of workloads) {
    const runners = await w.setup();
    const row: Row = { id: w.id, title: w.title, unit: w.unit, higherIsBetter: w.higherIsBetter, results: {} };
    // Alternate contenders over two rounds, keeping each one's better round, so drift hits all alike.
    const rounds = w.id === 'W3' ? 1 : 2;
    for (let round = 0; round < rounds; round++) {
      for (const c of ORDER) {
        const run = runners[c];
        if (run === undefined) continue;
        process.stderr.write(`    ${w.id} round ${round + 1}: ${c}…\n`);
        const v = await run();
        const prev = row.results[c];
        row.results[c] = prev === undefined || Number.isNaN(prev) ? v : w.higherIsBetter ? Math.max(prev, v) : Math.min(prev, v);
      }
    }
    rows.push(row);
    console.log(`  ${w.id.padEnd(8)} ${w.title}: ${ORDER.filter((c) => row.results[c] !== undefined).map((c) => `${c} ${fmt(row.results[c])}`).join(', ')} ${w.unit}`);
    const int8 = row.results['neurite-int8'];
    if (int8 !== undefined && row.results['neurite-simd'] !== undefined) console.log(`           int8 / float32 simd: ${fmt(int8 / row.results['neurite-simd']!)}×`);
  }
  if (rows.length > 0) console.log(`\n${renderTable(rows)}`);
  const scaling: ScalingFamily[] | null = only === null || only.includes('SCALING') ? await measureScaling(quick) : null;
  if (scaling !== null) console.log(`\n${renderScaling(scaling)}`);
  closeTorch();
  const memory: MemoryTable | null = only === null || only.includes('RSS') ? peakMemory(quick) : null;
  if (memory !== null) console.log(`\n${renderMemory(memory)}`);
  const dataBench = dataWorkload();
  if (dataBench !== null) console.log(`\n${describeDataBench(dataBench)}`);
  mkdirSync(join(here, 'results'), { recursive: true });
  const results = { date: new Date().toISOString(), machine, peer: torchInfo, quick, rows, scaling, memory, data: dataBench };
  writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(results, null, 2));
  console.log(`\nwritten to bench/results/latest.json`);
  finished = true;
}

/** The DATA workload (its own processes; the CSV is written to the temp folder and deleted after). */
function dataWorkload(): DataBenchResult | null {
  if (only !== null && !only.includes('DATA')) return null;
  const gb = args.includes('--data-gb') ? Number(args[args.indexOf('--data-gb') + 1]) : quick ? 0.1 : 1;
  process.stderr.write(`    DATA: ${gb} GB CSV, streamed then in memory…\n`);
  return runDataBench(gb);
}

function times(v: number): string {
  return Number.isNaN(v) ? '' : `${fmt(v)}×`;
}

/** The results table; each × column is neurite's best over the peer (> 1: neurite faster). */
function renderTable(rows: Row[]): string {
  const head = ['workload', 'unit', 'neurite', 'neurite js', 'neurite simd', 'neurite simd+threads', 'neurite int8', 'tfjs cpu', 'tfjs wasm', 'pytorch 1 thread', '× tfjs cpu', '× tfjs wasm', 'neurite / pytorch'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [`${r.id} ${r.title}`, r.unit, ...ORDER.map((c) => fmt(r.results[c])), ...(['tfjs-cpu', 'tfjs-wasm', 'pytorch'] as const).map((p) => times(ratio(r, p)))];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

await main();
