import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { NeuriteError, ShapeError } from '../../src/util/errors.js';
import { readModelFiles, writeModelFiles } from '../../src/io/files.js';
import { ModelJSON } from '../../src/io/artifacts.js';
import { weightsPathOf } from './tf-files.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-files-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function modelJson(weights: { name: string; shape: number[] }[], paths = ['weights.bin']): ModelJSON {
  return {
    format: 'layers-model',
    generatedBy: 'test',
    convertedBy: null,
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2 } }] } },
    weightsManifest: [{ paths, weights: weights.map((w) => ({ ...w, dtype: 'float32' as const })) }],
  };
}

/** A file's bytes as float32 values (copied: Node's Buffers of small files share a pool). */
function floatsOf(path: string): Float32Array {
  return new Float32Array(Uint8Array.from(readFileSync(path)).buffer);
}

const SPECS = [
  { name: 'd/kernel', shape: [1, 2] },
  { name: 'd/bias', shape: [2] },
];
const VALUES = new Float32Array([0.25, -1.5, 3, 4]);

describe('writeModelFiles / readModelFiles', () => {
  it('round-trips model.json and weights.bin, from the directory or the model.json path', async () => {
    const dir = join(freshDir(), 'nested', 'model');
    await writeModelFiles(dir, modelJson(SPECS), VALUES.buffer);
    expect(readdirSync(dir).sort()).toEqual(['model.json', basename(weightsPathOf(dir))]);
    expect(floatsOf(weightsPathOf(dir))).toEqual(VALUES);
    for (const path of [dir, join(dir, 'model.json')]) {
      const a = await readModelFiles(path);
      expect(a.weightSpecs.map((s) => s.name)).toEqual(['d/kernel', 'd/bias']);
      expect(new Float32Array(a.weightData)).toEqual(VALUES);
      expect(a.modelTopology.config.layers[0].class_name).toBe('Dense');
      expect(a.format).toBe('layers-model');
    }
  });

  it('concatenates shards and groups in manifest order', async () => {
    const dir = freshDir();
    const json = modelJson(SPECS, ['part1.bin', 'part2.bin']);
    json.weightsManifest.push({ paths: ['group2.bin'], weights: [{ name: 'e/bias', shape: [1], dtype: 'float32' }] });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'part1.bin'), new Uint8Array(VALUES.buffer, 0, 6));
    writeFileSync(join(dir, 'part2.bin'), new Uint8Array(VALUES.buffer, 6, 10));
    writeFileSync(join(dir, 'group2.bin'), new Uint8Array(new Float32Array([9]).buffer));
    const a = await readModelFiles(dir);
    expect(a.weightSpecs.map((s) => s.name)).toEqual(['d/kernel', 'd/bias', 'e/bias']);
    expect(new Float32Array(a.weightData)).toEqual(new Float32Array([0.25, -1.5, 3, 4, 9]));
  });

  it('replaces a previous model and leaves no temporary files', async () => {
    const dir = freshDir();
    await writeModelFiles(dir, modelJson(SPECS), new Float32Array(4).buffer);
    const first = weightsPathOf(dir);
    await writeModelFiles(dir, modelJson(SPECS), VALUES.buffer);
    // The new weights have a new name; the old file is gone once the new model.json is in place.
    expect(weightsPathOf(dir)).not.toBe(first);
    expect(readdirSync(dir).sort()).toEqual(['model.json', basename(weightsPathOf(dir))]);
    expect(new Float32Array((await readModelFiles(dir)).weightData)).toEqual(VALUES);
  });

  it('reports a missing directory, model.json or weight file by path', async () => {
    const dir = freshDir();
    await expect(readModelFiles(join(dir, 'nope'))).rejects.toThrow(/cannot open '.*nope'.*no such file/);
    mkdirSync(join(dir, 'empty'));
    await expect(readModelFiles(join(dir, 'empty'))).rejects.toThrow(/cannot read '.*empty\/model\.json' \(no such file\)/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson(SPECS)));
    await expect(readModelFiles(dir)).rejects.toThrow(NeuriteError);
    await expect(readModelFiles(dir)).rejects.toThrow(/weight file 'weights\.bin' named in .*model\.json: cannot read .*weights\.bin' \(no such file\)/);
  });

  it('reports a truncated or over-long weights.bin with both byte counts', async () => {
    const dir = freshDir();
    await writeModelFiles(dir, modelJson(SPECS), VALUES.buffer);
    writeFileSync(weightsPathOf(dir), new Uint8Array(VALUES.buffer, 0, 13));
    await expect(readModelFiles(dir)).rejects.toThrow(ShapeError);
    await expect(readModelFiles(dir)).rejects.toThrow(/'weights-[0-9a-f]{16}\.bin' hold 13 bytes.*needing 16 bytes \(the file is truncated\)/);
    writeFileSync(weightsPathOf(dir), new Uint8Array(20));
    await expect(readModelFiles(dir)).rejects.toThrow(/extra bytes/);
  });

  it('reports invalid JSON with the file path', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'model.json'), '{"format": "layers-model", ');
    await expect(readModelFiles(dir)).rejects.toThrow(/model\.json: is not valid JSON/);
  });

  it('refuses weight paths outside the model directory', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'secret.bin'), new Uint8Array(16));
    for (const path of ['../secret.bin', join(dir, 'secret.bin')]) {
      writeFileSync(join(dir, 'm', 'model.json'), JSON.stringify(modelJson(SPECS, [path])));
      await expect(readModelFiles(join(dir, 'm'))).rejects.toThrow(/points outside the model's directory/);
    }
  });
});

describe('writeModelFiles failures leave everything as it was', () => {
  it('a target whose parent is a regular file cannot be created (works as root, where chmod does not block)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'plain-file'), 'x');
    const save = writeModelFiles(join(dir, 'plain-file', 'model'), modelJson(SPECS), VALUES.buffer);
    await expect(save).rejects.toThrow(NeuriteError);
    await expect(writeModelFiles(join(dir, 'plain-file', 'model'), modelJson(SPECS), VALUES.buffer)).rejects.toThrow(/cannot create the directory.*nothing was written/);
    expect(readdirSync(dir)).toEqual(['plain-file']);
  });

  it('a target that is a regular file is refused', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'taken'), 'keep me');
    await expect(writeModelFiles(join(dir, 'taken'), modelJson(SPECS), VALUES.buffer)).rejects.toThrow(/not a directory|cannot create/);
    expect(readFileSync(join(dir, 'taken'), 'utf8')).toBe('keep me');
  });

  it('when model.json cannot be replaced, the previous weights stay and the new weights file is removed', async () => {
    const dir = freshDir();
    const old = new Float32Array([1, 2, 3, 4]);
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(old.buffer));
    // A directory named model.json: the commit (the rename of model.json) fails.
    mkdirSync(join(dir, 'model.json'));
    await expect(writeModelFiles(dir, modelJson(SPECS), VALUES.buffer)).rejects.toThrow(/could not write the model into .*previous model\.json and weights were left unchanged/);
    expect(floatsOf(join(dir, 'weights.bin'))).toEqual(old);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('a failed first save into a new directory leaves no weights.bin behind', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'model.json'));
    await expect(writeModelFiles(dir, modelJson(SPECS), VALUES.buffer)).rejects.toThrow(NeuriteError);
    expect(readdirSync(dir)).toEqual(['model.json']);
  });
});
