/**
 * Peak RSS per workload and library, each pair in a fresh process running bench/rss.ts. TF.js cpu is
 * skipped on W3 (one of its CNN epochs takes ~35 s); PyTorch where bench/torch.ts finds no torch.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorchPython } from './torch.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Peak RSS in MiB: memory[workload][library], NaN where the run failed. */
export type MemoryTable = Record<string, Record<string, number>>;

/** Runs every pair (W2 only when quick). */
export function peakMemory(quick: boolean): MemoryTable {
  const withTorch = !process.argv.includes('--no-torch') && findTorchPython() !== null;
  const table: MemoryTable = {};
  for (const id of quick ? ['W2'] : ['W2', 'W3', 'W4', 'W5']) {
    table[id] = {};
    for (const who of ['neurite', 'tfjs-cpu', ...(withTorch ? ['pytorch'] : [])]) {
      if (who === 'tfjs-cpu' && id === 'W3') continue;
      process.stderr.write(`    peak RSS ${id}: ${who}…\n`);
      try {
        const text = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'rss.ts'), id, who], { encoding: 'utf8' });
        table[id][who] = JSON.parse(text.trim().split('\n').pop()!).peakRssMiB;
      } catch {
        table[id][who] = NaN;
      }
    }
  }
  return table;
}

/** The table as markdown. */
export function renderMemory(table: MemoryTable): string {
  const whos = ['neurite', 'tfjs-cpu', 'pytorch'];
  const cell = (v: number | undefined) => (v === undefined ? 'skipped' : Number.isNaN(v) ? 'n/a' : v.toFixed(0));
  const lines = ['Peak RSS per workload, MiB (one process per cell):', `| workload | ${whos.join(' | ')} |`, `|---|${whos.map(() => '---').join('|')}|`];
  for (const [id, row] of Object.entries(table)) lines.push(`| ${id} | ${whos.map((w) => cell(row[w])).join(' | ')} |`);
  return lines.join('\n');
}
