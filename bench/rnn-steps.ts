/**
 * W4-style RNN training throughput over sequence length and batch size (neurite only), for the fused
 * RNN work of issue 17: `npx tsx bench/rnn-steps.ts [kind=simple|lstm|gru] [steps,...] [batch,...] [unfused]`.
 * Prints samples/s per (steps, batch), the median of three one-epoch fits after a warm-up epoch, and
 * samples per CPU second of this process (all its threads), steadier than wall time on a busy machine.
 */
import * as nn from '../src/index.js';
import { seededData, seededLabels } from './data.js';
import { median, seconds } from './stats.js';

const kind = process.argv[2] ?? 'simple';
const stepsList = (process.argv[3] ?? '50').split(',').map(Number);
const batchList = (process.argv[4] ?? '32').split(',').map(Number);
const unfused = process.argv[5] === 'unfused';

function layer(steps: number): nn.Layer {
  const options = { inputShape: [steps, 8] };
  if (kind === 'lstm') return new nn.LSTM(32, options);
  if (kind === 'gru') return new nn.GRU(32, options);
  return new nn.SimpleRNN(32, options);
}

async function run(steps: number, batch: number): Promise<[number, number]> {
  const samples = 1024;
  const x = seededData(samples * steps * 8, `rnn-${steps}-x`);
  const y = seededLabels(x, samples, `rnn-${steps}-w`);
  nn.setSeed(1);
  const model = new nn.Sequential([layer(steps), new nn.Dense(1, { activation: 'sigmoid' })]);
  model.compile({ optimizer: new nn.Adam({ learningRate: 1e-3 }), loss: 'binary_crossentropy' });
  const xs = nn.tensor(x, [samples, steps, 8]);
  const ys = nn.tensor(y, [samples, 1]);
  const fit = () => model.fit(xs, ys, { epochs: 1, batchSize: batch, verbose: 0, shuffle: true });
  await fit();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let t = 0; t < 3; t++) {
    const before = process.cpuUsage();
    times.push(await seconds(fit));
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1e6);
  }
  return [samples / median(times), samples / median(cpu)];
}

if (unfused) nn.setRNNFusion(false);
for (const steps of stepsList) {
  for (const batch of batchList) {
    const [rate, perCpu] = await run(steps, batch);
    const label = `${kind} steps=${steps} batch=${batch}${unfused ? ' unfused' : ''}`;
    console.log(`${label}: ${rate.toFixed(0)} samples/s (${perCpu.toFixed(0)} per CPU s), ${((perCpu * steps) / 1000).toFixed(1)} k step·samples per CPU s`);
  }
}
