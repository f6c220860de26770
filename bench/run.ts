/**
 * `npm run bench`: every workload for neurite and for TensorFlow.js (cpu backend, and wasm where it runs), in one
 * invocation, alternating contenders; prints a table of medians with ratios and writes bench/results/latest.json.
 * Options: `--only W1,W2` to select workloads, `--quick` for the small GEMM sizes only.
 * The DATA workload (bench/data-epoch.ts: a CSV streamed vs in memory) runs last; `--data-gb N` sets its file
 * size (default 1, `--quick` 0.1), `--only DATA` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmWorkload } from './workloads/gemm.js';
import { predictWorkload, trainWorkload } from './workloads/training.js';
import { cnnSpec, mlpSpec, rnnSpec } from './workloads/specs.js';
import { seedExampleWorkload } from './workloads/seed-example.js';
import { int8BytesWorkload, int8Specs, int8Workload } from './workloads/int8.js';
import { Contender, Workload } from './workload.js';
import { DataBenchResult, describeDataBench, runDataBench } from './data-epoch.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const quick = args.includes('--quick');

const workloads: Workload[] = [
  ...(quick ? [128, 256] : [128, 256, 512, 1024]).map(gemmWorkload),
  trainWorkload(mlpSpec('W2', 'train MLP 784-256-128-1 (batch 64, 4096 samples)', 4096, 64)),
  // TF.js's wasm backend has no gradient kernels for conv2d (its fit fails and left TF.js unusable here),
  // and TF.js cpu needs ~35 s per epoch: one trial after the warm-up.
  trainWorkload(cnnSpec, 1, { wasm: false }),
  trainWorkload(rnnSpec),
  predictWorkload(mlpSpec('W5', 'predict MLP 784-256-128-1 (10,000 samples)', 10_000, 32)),
  seedExampleWorkload,
  ...int8Specs.map(int8Workload),
  int8BytesWorkload('mlp'),
  int8BytesWorkload('cnn'),
].filter((w) => only === null || only.some((o) => w.id === o || w.id.startsWith(`${o}-`)));

const ORDER: Contender[] = ['neurite', 'neurite-js', 'neurite-simd', 'neurite-threads', 'neurite-int8', 'tfjs-cpu', 'tfjs-wasm'];

interface Row {
  id: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  results: Partial<Record<Contender, number>>;
}

/** neurite's best result over the peer's, oriented so that > 1 means neurite is faster. */
function ratio(row: Row, peer: 'tfjs-cpu' | 'tfjs-wasm'): number {
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
  const memory = only === null || only.includes('RSS') ? peakMemory() : null;
  const dataBench = dataWorkload();
  const table = renderTable(rows, memory);
  if (rows.length > 0 || memory !== null) console.log(`\n${table}`);
  if (dataBench !== null) console.log(`\n${describeDataBench(dataBench)}`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify({ date: new Date().toISOString(), machine, rows, memory, data: dataBench }, null, 2));
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

function peakMemory(): Record<string, number> | null {
  const out: Record<string, number> = {};
  for (const who of ['neurite', 'tfjs-cpu']) {
    try {
      const text = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'rss.ts'), who], { encoding: 'utf8' });
      out[who] = JSON.parse(text.trim().split('\n').pop()!).peakRssMiB;
    } catch {
      return null;
    }
  }
  return out;
}

function renderTable(rows: Row[], memory: Record<string, number> | null): string {
  const head = ['workload', 'unit', 'neurite', 'neurite js', 'neurite simd', 'neurite simd+threads', 'neurite int8', 'tfjs cpu', 'tfjs wasm', '× tfjs cpu', '× tfjs wasm'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [`${r.id} ${r.title}`, r.unit, ...ORDER.map((c) => fmt(r.results[c])), `${fmt(ratio(r, 'tfjs-cpu'))}×`, `${fmt(ratio(r, 'tfjs-wasm'))}×`];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (memory !== null) lines.push(`\nPeak RSS of a W2 training epoch: neurite ${fmt(memory.neurite)} MiB, tfjs cpu ${fmt(memory['tfjs-cpu'])} MiB`);
  return lines.join('\n');
}

await main();
