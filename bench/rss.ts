/**
 * Peak resident memory of one W2 training epoch, for one library per process (RSS is per process):
 * `tsx bench/rss.ts neurite|tfjs-cpu` prints the peak in MiB as JSON.
 */
import { mlpSpec } from './workloads/specs.js';
import { trainWorkload } from './workloads/training.js';

const who = process.argv[2] as 'neurite' | 'tfjs-cpu';
const workload = trainWorkload(mlpSpec('W2', 'rss', 4096, 64), 1);
const runners = await workload.setup();
await runners[who]!();
console.log(JSON.stringify({ who, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
