/**
 * Peak resident memory of one workload for one library, in its own process (RSS is per process):
 * `tsx bench/rss.ts <W2|W3|W4|W5> <neurite|tfjs-cpu|pytorch>` prints {"who", "workload", "peakRssMiB"}
 * as JSON: one training epoch after one warm-up epoch (W5: predict over all samples). For PyTorch the
 * peak is that of its Python process (bench/torch_peer.py), not this one's.
 */
import { predictWorkload, trainWorkload } from './workloads/training.js';
import { cnnSpec, mlpSpec, rnnSpec } from './workloads/specs.js';
import { closeTorch, torchPeer } from './torch.js';
import type { Contender, Workload } from './workload.js';

export const RSS_WORKLOADS: Record<string, () => Workload> = {
  W2: () => trainWorkload(mlpSpec('W2', 'rss', 4096, 64), 1),
  W3: () => trainWorkload(cnnSpec, 1, { wasm: false }),
  W4: () => trainWorkload(rnnSpec, 1),
  W5: () => predictWorkload(mlpSpec('W5', 'rss', 10_000, 32), 1),
};

const [id, who] = process.argv.slice(2) as [string, Contender];
if (id !== undefined && who !== undefined) {
  if (who !== 'pytorch') process.argv.push('--no-torch'); // no Python child for the other libraries
  const runners = await RSS_WORKLOADS[id]().setup();
  const value = await runners[who]!();
  if (Number.isNaN(value)) throw new Error(`${who} failed on ${id}`);
  const peakRssMiB = who === 'pytorch' ? Number(await torchPeer()!.request({ kind: 'rss' })) : process.resourceUsage().maxRSS / 1024;
  closeTorch();
  console.log(JSON.stringify({ who, workload: id, peakRssMiB }));
}
