/**
 * The `DATA` workload: one training epoch streamed from a CSV file of ~1 GB (`data.csv`) against the same
 * epoch on the same rows held in memory, each in its own process so peak RSS is its own. Part of
 * `npm run bench` (`--data-gb N` for another size, `--only DATA` for it alone); also standalone:
 *   npx tsx bench/data-epoch.ts            (both; writes the CSV into the OS temp folder, deletes it after)
 *   npx tsx bench/data-epoch.ts --gb 0.1   (a smaller file)
 * Prints rows/s for each, their ratio, and each process's peak RSS. Not run in CI. The file is only
 * written when the temp folder has room for it (and 20% to spare).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { Dense, Sequential, SGD, data, setSeed, tensor } from '../src/index.js';

const FEATURES = 10;
const BATCH = 256;
const args = process.argv.slice(2);
let gb = args.includes('--gb') ? Number(args[args.indexOf('--gb') + 1]) : 1;
let path = join(tmpdir(), `neurite-bench-${gb}gb.csv`);

/** Rows of 10 features in [-1, 1) and a 0/1 label from a fixed projection, ~100 bytes a row. */
function writeCsv(): void {
  const fs = statfsSync(tmpdir());
  const free = fs.bavail * fs.bsize;
  if (free < 1.2 * gb * 1e9) throw new Error(`data bench: ${tmpdir()} has ${(free / 1e9).toFixed(1)} GB free, the ${gb} GB file needs ${(1.2 * gb).toFixed(1)} GB; use a smaller --gb`);
  if (existsSync(path) && statSync(path).size >= gb * 1e9) return;
  const rng = seedrandom('data-bench');
  const fd = openSync(path, 'w');
  writeSync(fd, `${Array.from({ length: FEATURES }, (_, i) => `f${i}`).join(',')},label\n`);
  let written = 0;
  while (written < gb * 1e9) {
    const lines: string[] = [];
    for (let r = 0; r < 10_000; r++) {
      const f = Array.from({ length: FEATURES }, () => 2 * rng() - 1);
      const label = f.reduce((s, v, i) => s + v * (i % 2 === 0 ? 1 : -0.5), 0) > 0 ? 1 : 0;
      lines.push(`${f.map((v) => v.toFixed(6)).join(',')},${label}`);
    }
    const text = `${lines.join('\n')}\n`;
    writeSync(fd, text);
    written += text.length;
  }
  closeSync(fd);
}

function model(): Sequential {
  setSeed(1);
  const m = new Sequential([new Dense(16, { activation: 'relu', inputShape: [FEATURES] }), new Dense(1, { activation: 'sigmoid' })]);
  m.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'binary_crossentropy' });
  return m;
}

/** Samples RSS every 100 ms while `fn` runs; returns its seconds and the peak in MiB. */
async function measure(fn: () => Promise<number>): Promise<{ rows: number; seconds: number; cpuSeconds: number; peakRssMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const rows = await fn();
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuOf(cpu);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  return { rows, seconds, cpuSeconds, peakRssMiB: peak / 2 ** 20 };
}

/** CPU seconds (user + system) since `from`: on a shared machine a steadier figure than wall time. */
function cpuOf(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e6;
}

async function streamed(): Promise<number> {
  let rows = 0;
  await model().fit(data.csv(path, { labelColumn: 'label', batchSize: BATCH }).prefetch(2), {
    epochs: 1,
    verbose: 0,
    callbacks: [{ onBatchBegin: (_b, logs) => void (rows += logs?.size ?? 0) }],
  });
  return rows;
}

async function inMemory(): Promise<number> {
  // Loading is not timed: the comparison is one epoch of training on data already in memory.
  const parts: { xs: Float32Array; ys: Float32Array }[] = [];
  for await (const b of data.csv(path, { labelColumn: 'label', batchSize: 65536 })) parts.push({ xs: b.xs.data, ys: b.ys!.data });
  const rows = parts.reduce((n, p) => n + p.ys.length, 0);
  const xs = new Float32Array(rows * FEATURES);
  const ys = new Float32Array(rows);
  let at = 0;
  for (const p of parts.splice(0)) {
    xs.set(p.xs, at * FEATURES);
    ys.set(p.ys, at);
    at += p.ys.length;
  }
  const m = model();
  const start = performance.now();
  const cpu = process.cpuUsage();
  await m.fit(tensor(xs, [rows, FEATURES]), tensor(ys, [rows, 1]), { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
  timed = (performance.now() - start) / 1000;
  timedCpu = cpuOf(cpu);
  return rows;
}
let timed = 0;
let timedCpu = 0;

/** What the DATA workload measured: rows/s and peak RSS of each process, and the file. */
export interface DataBenchResult {
  fileGB: number;
  rows: number;
  streamed: { seconds: number; cpuSeconds: number; rowsPerSecond: number; peakRssMiB: number };
  inMemory: { seconds: number; cpuSeconds: number; rowsPerSecond: number; peakRssMiB: number };
  /** Streamed epoch time over in-memory epoch time (the issue asks for <= 2). */
  timeRatio: number;
  /** The same for CPU time (load on a shared machine moves it less). */
  cpuRatio: number;
}

/** Writes the CSV (`sizeGB`), runs both epochs in child processes, deletes the file; the numbers. */
export function runDataBench(sizeGB: number): DataBenchResult {
  gb = sizeGB;
  path = join(tmpdir(), `neurite-bench-${gb}gb.csv`);
  try {
    writeCsv();
    const fileGB = statSync(path).size / 1e9;
    const self = fileURLToPath(import.meta.url);
    const run = (m: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, m, '--gb', String(gb)], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop()!);
    const s = run('streamed');
    const mem = run('memory');
    const part = (r: { rows: number; seconds: number; cpuSeconds: number; peakRssMiB: number }) => ({ seconds: r.seconds, cpuSeconds: r.cpuSeconds, rowsPerSecond: r.rows / r.seconds, peakRssMiB: r.peakRssMiB });
    return { fileGB, rows: s.rows, streamed: part(s), inMemory: part(mem), timeRatio: s.seconds / mem.seconds, cpuRatio: s.cpuSeconds / mem.cpuSeconds };
  } finally {
    rmSync(path, { force: true });
  }
}

/** The result as the lines the bench prints. */
export function describeDataBench(r: DataBenchResult): string {
  const line = (what: string, p: DataBenchResult['streamed']) => `${what} ${r.rows} rows in ${p.seconds.toFixed(1)} s, CPU ${p.cpuSeconds.toFixed(1)} s (${p.rowsPerSecond.toFixed(0)} rows/s), peak RSS ${p.peakRssMiB.toFixed(0)} MiB`;
  return [
    `DATA     one epoch on a ${r.fileGB.toFixed(2)} GB CSV, MLP ${FEATURES}-16-1, batch ${BATCH}:`,
    `  ${line('streamed from CSV:', r.streamed)}`,
    `  ${line('in memory:        ', r.inMemory)}`,
    `  streamed / in-memory epoch time ${r.timeRatio.toFixed(2)}× (target <= 2×), CPU time ${r.cpuRatio.toFixed(2)}×; throughput ratio ${(r.streamed.rowsPerSecond / r.inMemory.rowsPerSecond).toFixed(2)}; peak RSS ${r.streamed.peakRssMiB.toFixed(0)} vs ${r.inMemory.peakRssMiB.toFixed(0)} MiB`,
  ].join('\n');
}

const mode = args.find((a) => a === 'streamed' || a === 'memory');
const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain && mode !== undefined) {
  const r = await measure(mode === 'streamed' ? streamed : inMemory);
  if (mode === 'memory') {
    r.seconds = timed;
    r.cpuSeconds = timedCpu;
  }
  console.log(JSON.stringify(r));
} else if (isMain) {
  console.log(describeDataBench(runDataBench(gb)));
}
