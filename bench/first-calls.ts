/**
 * First-call speed of a fresh process: `npx tsx bench/first-calls.ts [n] [calls]` times the first
 * `calls` n×n·n×n products (default 512³, 8 calls) of this process, one at a time, and prints each
 * call's GFLOPS next to the steady state (the best of 5 calls after 20 more). Run it as its own process:
 * the point is what a user's first calls see.
 */
import { matmul, setNumThreads, tensor } from '../src/index.js';
if (process.env.ONE_THREAD) setNumThreads(1);
import { seededData } from './data.js';

const n = Number(process.argv[2] ?? 512);
const calls = Number(process.argv[3] ?? 8);
const a = tensor(seededData(n * n, 'first-a'), [n, n]);
const b = tensor(seededData(n * n, 'first-b'), [n, n]);
const gflops = (s: number) => (2 * n ** 3) / s / 1e9;
const time = (): number => {
  const t = performance.now();
  matmul(a, b);
  return (performance.now() - t) / 1000;
};
const first = Array.from({ length: calls }, time);
for (let i = 0; i < 20; i++) time();
const steady = Math.min(...Array.from({ length: 5 }, time));
const result = { n, first: first.map((s) => Math.round(gflops(s))), steady: Math.round(gflops(steady)), firstOverSteady: +(steady / first[0]).toFixed(2) };
console.log(JSON.stringify(result));
