// Model folders as a hostile download could shape them: symlinks out of the folder, FIFOs, devices,
// sparse or oversized files, manifests declaring huge layers, repeated shards, deep nesting.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { NeuriteError } from '../../src/util/errors.js';
import { loadModel } from '../../src/models/load-model.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { modelA, whichModel } from './crash-models.js';
import { weightsPathOf } from './tf-files.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-hostile-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function savedA(): Promise<string> {
  const dir = join(freshDir(), 'model');
  await modelA().save(dir);
  return dir;
}

const editJson = (dir: string, edit: (json: any) => void): void => {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  edit(json);
  writeFileSync(join(dir, 'model.json'), withDeep(JSON.stringify(json)));
};

/** Stands for a 100,000-deep array in an edit; written as text, since JSON.stringify itself would overflow. */
const DEEP = '__deep__';
const DEEP_TEXT = '['.repeat(100_000) + ']'.repeat(100_000);
const withDeep = (text: string): string => text.replace(`"${DEEP}"`, DEEP_TEXT);

/** Rejects within `ms` (a hang fails the test instead of blocking it), with the error it rejected with. */
async function rejection(p: Promise<unknown>, ms = 3000): Promise<Error> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms));
  try {
    await Promise.race([p, timeout]);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection, the call succeeded');
}

async function expectRefused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(NeuriteError);
  expect(e.message).toMatch(pattern);
  expect(e.message.length).toBeLessThan(2100);
}

/** Memory growth while `fn` runs (array buffers + heap), sampled at the end. */
async function growth(fn: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage();
  await fn();
  const after = process.memoryUsage();
  return after.arrayBuffers - before.arrayBuffers + Math.max(0, after.heapUsed - before.heapUsed);
}

describe('loadModel refuses files outside the model folder', () => {
  it('a weights file symlinked outside (same size, so only the real path gives it away)', async () => {
    const dir = await savedA();
    const outside = join(freshDir(), 'secret.bin');
    const weights = weightsPathOf(dir);
    writeFileSync(outside, readFileSync(weights));
    unlinkSync(weights);
    symlinkSync(outside, weights);
    await expectRefused(loadModel(dir), /resolves to '.*secret\.bin', outside the model folder/);
  });

  it('a subfolder symlinked outside', async () => {
    const dir = await savedA();
    const elsewhere = freshDir();
    const weights = weightsPathOf(dir);
    renameSync(weights, join(elsewhere, 'w.bin'));
    symlinkSync(elsewhere, join(dir, 'sub'));
    editJson(dir, (j) => (j.weightsManifest[0].paths = ['sub/w.bin']));
    await expectRefused(loadModel(dir), /'.*sub\/w\.bin' resolves to .*outside the model folder/);
  });

  it('model.json symlinked outside, given as the folder or as the file', async () => {
    const dir = await savedA();
    const elsewhere = freshDir();
    renameSync(join(dir, 'model.json'), join(elsewhere, 'model.json'));
    symlinkSync(join(elsewhere, 'model.json'), join(dir, 'model.json'));
    await expectRefused(loadModel(dir), /outside the model folder/);
    await expectRefused(loadModel(join(dir, 'model.json')), /outside the model folder/);
  });

  it('a symlink that stays inside the folder is fine', async () => {
    const dir = await savedA();
    const weights = weightsPathOf(dir);
    renameSync(weights, join(dir, 'real.bin'));
    symlinkSync('real.bin', weights);
    expect(whichModel(await loadModel(dir))).toBe('A');
  });
});

describe('loadModel and loadWeights read regular files only, within their sizes', () => {
  it('a FIFO as the weights file, as model.json, or given to loadWeights fails at once (no hang)', async () => {
    const dir = await savedA();
    const weights = weightsPathOf(dir);
    unlinkSync(weights);
    execFileSync('mkfifo', [weights]);
    await expectRefused(loadModel(dir), /is a FIFO \(named pipe\); only regular files are read/);
    const dir2 = await savedA();
    unlinkSync(join(dir2, 'model.json'));
    execFileSync('mkfifo', [join(dir2, 'model.json')]);
    await expectRefused(loadModel(dir2), /is a FIFO/);
    await expectRefused(modelA().loadWeights(join(dir2, 'model.json')), /loadWeights: .* is a FIFO/);
  });

  it('a weights file symlinked to /dev/zero is refused without reading (memory stays flat)', async () => {
    const dir = await savedA();
    const weights = weightsPathOf(dir);
    unlinkSync(weights);
    symlinkSync('/dev/zero', weights);
    const grew = await growth(() => expectRefused(loadModel(dir), /outside the model folder|is a character device/));
    expect(grew).toBeLessThan(32 * 2 ** 20);
    await expectRefused(modelA().loadWeights('/dev/zero'), /loadWeights: '\/dev\/zero' is a character device/);
  });

  it('a sparse 1 GiB weights file for a 32-byte manifest is refused from its size, before a byte is read', async () => {
    const dir = await savedA();
    truncateSync(weightsPathOf(dir), 2 ** 30);
    const grew = await growth(() => expectRefused(loadModel(dir), /hold 1073741824 bytes, but weightsManifest\[0\] .* needing 32 bytes \(the file has extra bytes\)/));
    expect(grew).toBeLessThan(32 * 2 ** 20);
  });

  it('a sparse 1 GiB model.json, and a sparse weights file for loadWeights, are refused from their sizes', async () => {
    const dir = await savedA();
    truncateSync(join(dir, 'model.json'), 2 ** 30);
    const grew = await growth(() => expectRefused(loadModel(dir), /model\.json' has 1073741824 bytes, more than the 67108864 bytes accepted/));
    expect(grew).toBeLessThan(32 * 2 ** 20);
    const file = join(freshDir(), 'w.nw');
    await modelA().saveWeights(file);
    truncateSync(file, 2 ** 30);
    const grew2 = await growth(() => expectRefused(modelA().loadWeights(file), /the header's weights need a file of \d+ bytes, but it has 1073741824/));
    expect(grew2).toBeLessThan(32 * 2 ** 20);
  });
});

describe('declared-size bombs fail fast, before layers allocate or initialize', () => {
  it('a tiny folder declaring Dense 8192×8192 (and LSTM(1024)) fails naming the weight, with flat memory', async () => {
    const dir = await savedA();
    editJson(dir, (j) => {
      j.modelTopology.config.layers[0].config.units = 8192;
      j.modelTopology.config.layers[0].config.batch_input_shape = [null, 8192];
    });
    const grew = await growth(() => expectRefused(loadModel(dir), /declares weight 'kernel' of shape \[8192, 8192\] \(67108864 values\), but the file holds no \(further\) weight of that size/));
    expect(grew).toBeLessThan(32 * 2 ** 20);
    editJson(dir, (j) => {
      j.modelTopology.config.layers[0] = { class_name: 'LSTM', config: { name: 'a', units: 1024, batch_input_shape: [null, 4, 3] } };
    });
    await expectRefused(loadModel(dir), /declares weight 'kernel' of shape \[3, 4096\]/);
  });

  it('a layer built from a file runs no initializer: loading a real model gives exactly its weights', async () => {
    const dir = freshDir();
    const model = new Sequential([new Dense(3, { inputShape: [2], kernelInitializer: 'orthogonal', name: 'd' })]);
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(Array.from(loaded.getWeights()[0].data)).toEqual(Array.from(model.getWeights()[0].data));
  });

  it('a manifest listing one weights file 20,000 times is refused with a short message', async () => {
    const dir = await savedA();
    const name = basename(weightsPathOf(dir));
    editJson(dir, (j) => (j.weightsManifest[0].paths = new Array(20_000).fill(name)));
    await expectRefused(loadModel(dir), new RegExp(`lists the file '${name}' 20000 times; each weight file may be listed once`));
    editJson(dir, (j) => (j.weightsManifest[0].paths = [name, `./${name}`]));
    await expectRefused(loadModel(dir), /listed once/);
  });

  it('a weight shape past a Float32Array, and huge or BigInt-like numbers, are refused by name', async () => {
    const dir = await savedA();
    editJson(dir, (j) => (j.weightsManifest[0].weights[0].shape = [2 ** 40, 2 ** 40]));
    await expectRefused(loadModel(dir), /more than a Float32Array can hold/);
    const dir2 = await savedA();
    editJson(dir2, (j) => (j.modelTopology.config.layers[0].config.units = 1e300));
    await expectRefused(loadModel(dir2), /layer 0 'a' \(Dense\): .*units: expected a positive integer, received 1e\+300/);
  });
});

describe('deep nesting and lookups keyed by file content', () => {
  const deep = DEEP;
  const fields: [string, (j: any) => void][] = [
    ['a top-level field', (j) => (j.extra = deep)],
    ['generatedBy', (j) => (j.generatedBy = deep)],
    ['a layer config value', (j) => (j.modelTopology.config.layers[0].config.units = deep)],
    ['a layer config', (j) => (j.modelTopology.config.layers[0].config = deep)],
    ['the layers list', (j) => (j.modelTopology.config.layers = deep)],
    ['a weight shape', (j) => (j.weightsManifest[0].weights[0].shape = deep)],
    ['the manifest paths', (j) => (j.weightsManifest[0].paths = deep)],
    ['the trainingConfig loss', (j) => (j.trainingConfig = { loss: deep, optimizer_config: { class_name: 'Adam', config: {} } })],
  ];
  for (const [where, edit] of fields) {
    it(`100,000-deep arrays in ${where} give a NeuriteError saying so (no stack overflow)`, async () => {
      const dir = await savedA();
      editJson(dir, edit);
      await expectRefused(loadModel(dir), /nested deeper than 100 levels/);
    });
  }

  it('a 100,000-deep .nw header gives a NeuriteError saying so', async () => {
    const text = withDeep(JSON.stringify({ format: 'neurite-weights', version: 1, layers: deep, weights: [] }));
    const header = new TextEncoder().encode(text + ' '.repeat((4 - ((12 + text.length) % 4)) % 4));
    const bytes = new Uint8Array(12 + header.byteLength);
    bytes.set(new TextEncoder().encode('NEURITEW'));
    new DataView(bytes.buffer).setUint32(8, header.byteLength, true);
    bytes.set(header, 12);
    const file = join(freshDir(), 'deep.nw');
    writeFileSync(file, bytes);
    await expectRefused(modelA().loadWeights(file), /the header: nested deeper than 100 levels/);
  });

  it('a quantization dtype or optimizer key named after an Object.prototype member is refused', async () => {
    for (const dtype of ['toString', '__proto__', 'constructor']) {
      const dir = await savedA();
      editJson(dir, (j) => (j.weightsManifest[0].weights[0].quantization = { dtype, scale: 1, min: 0 }));
      await expectRefused(loadModel(dir), /unsupported quantization/);
    }
    const dir = await savedA();
    editJson(dir, (j) => (j.trainingConfig = { loss: 'mse', optimizer_config: { class_name: 'SGD', config: { toString: 1 } } }));
    await expectRefused(loadModel(dir), /'toString' = 1 is not supported/);
  });

  it('20,000 extra (empty) weights in the manifest give one capped message', async () => {
    const dir = await savedA();
    editJson(dir, (j) => j.weightsManifest[0].weights.push(...Array.from({ length: 20_000 }, (_, i) => ({ name: `x/w${i}`, shape: [0], dtype: 'float32' }))));
    await expectRefused(loadModel(dir), /in the file but not in the model: 'x\/w0' \[0\]/);
  });

  it('a huge value in a layer config gives a capped message', async () => {
    const dir = await savedA();
    editJson(dir, (j) => (j.modelTopology.config.layers[0].config.activation = 'x'.repeat(1_000_000)));
    await expectRefused(loadModel(dir), /activation|Unknown/);
  });
});
