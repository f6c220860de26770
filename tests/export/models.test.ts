import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Sequential } from '../../src/models/sequential.js';
import { Model } from '../../src/models/model.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Masking } from '../../src/layers/core/masking.js';
import { TimeDistributed } from '../../src/layers/rnn/time-distributed.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { Rescaling, CenterCrop } from '../../src/layers/preprocessing/image-preprocessing.js';
import { RandomFlip, RandomRotation, RandomZoom } from '../../src/layers/preprocessing/random-transforms.js';
import { setSeed } from '../../src/util/random.js';
import { NeuriteError } from '../../src/util/errors.js';
import { exportOnnx, toOnnx } from '../../src/export/export-onnx.js';
import { OnnxExportError } from '../../src/export/builder.js';
import { buildShapesModel } from '../../examples/cnn-shapes.js';
import { plainCnn } from '../../examples/fashion-cnn.js';
import { buildSequenceModel } from '../../examples/rnn-sequences.js';
import { graphTransformer, biLstm } from '../../examples/text-classification.js';
import { expectOrtMatches, inputsFor, paddedIds, runOrt } from './ort-helper.js';
import { seededTensor } from '../helpers/seeded.js';
import { expectClose } from '../helpers/close.js';
import { Tensor } from '../../src/tensor/tensor.js';

describe('exportOnnx: the example models', () => {
  it('cnn-shapes, fashion-cnn (Rescaling, augmentation as identity), rnn-sequences (SimpleRNN and LSTM)', async () => {
    setSeed(1);
    const shapes = buildShapesModel();
    await expectOrtMatches(shapes, (n) => inputsFor(shapes, n, 1, 0, 1), { rtol: 1e-4 });
    const fashion = plainCnn();
    await expectOrtMatches(fashion, (n) => inputsFor(fashion, n, 2, 0, 255), { rtol: 1e-4 });
    for (const kind of ['simpleRnn', 'lstm'] as const) {
      const m = buildSequenceModel(kind);
      await expectOrtMatches(m, (n) => inputsFor(m, n, 3), { rtol: 1e-4 });
    }
  });

  it('text-classification: the masked Bidirectional LSTM exports; the Transformer names its custom layer', async () => {
    expect(() => toOnnx(graphTransformer(50))).toThrow(/no ONNX mapping for layer 'token_and_position_embedding.*' \(TokenAndPositionEmbedding\)/);
    setSeed(4);
    const m = biLstm(50);
    await expectOrtMatches(m, (n) => [paddedIds(n, m.inputs[0].shape[1] as number, 50, 5)], { rtol: 1e-4 });
  });
});

describe('exportOnnx: wrappers and preprocessing', () => {
  it('TimeDistributed(Dense / Conv2D), Rescaling, CenterCrop, random augmentation (identity at inference)', async () => {
    setSeed(2);
    const m = new Sequential([
      new Rescaling(0.5, { offset: -1, inputShape: [7, 6, 1] }),
      new RandomFlip('horizontal', { seed: 1 }),
      new RandomRotation(0.1, { seed: 2 }),
      new RandomZoom(0.1, null, { seed: 3 }),
      new CenterCrop(4, 5),
      new TimeDistributed(new Dense(3)),
      new TimeDistributed(new Flatten()),
      new TimeDistributed(new Dense(2, { activation: 'relu' })),
    ]);
    await expectOrtMatches(m, (n) => inputsFor(m, n));
    const c = new Sequential([new TimeDistributed(new Conv2D(2, 2), { inputShape: [3, 4, 4, 1] }), new TimeDistributed(new Flatten()), new LSTM(2)]);
    await expectOrtMatches(c, (n) => inputsFor(c, n), { rtol: 1e-4 });
  });
});

describe('exportOnnx: bad input', () => {
  const dir = (): string => mkdtempSync(join(tmpdir(), 'neurite-onnx-'));

  it('writes a file ONNX Runtime loads from its path, with the same predictions', async () => {
    setSeed(3);
    const m = new Sequential([new Dense(3, { inputShape: [4], activation: 'relu' }), new Dense(2)]);
    const d = dir();
    try {
      const path = join(d, 'model.onnx');
      await exportOnnx(m, path);
      expect(readdirSync(d)).toEqual(['model.onnx']);
      const s = await ort.InferenceSession.create(path);
      const x = seededTensor([5, 4], 3);
      const [y] = await runOrt(s, [x]);
      expectClose(y, m.predict(x) as Tensor);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('an unbuilt model, unsupported layers (all named, before anything is written), bad options', async () => {
    expect(() => toOnnx(new Sequential([new Dense(2)]))).toThrow(/is not built/);
    const masked = new Sequential([new Masking({ maskValue: 0, inputShape: [3, 2] }), new LSTM(2, { returnSequences: true })]);
    const d = dir();
    try {
      const path = join(d, 'model.onnx');
      writeFileSync(path, 'previous');
      await expect(exportOnnx(masked, path)).rejects.toThrow(OnnxExportError);
      await expect(exportOnnx(masked, path)).rejects.toThrow(/layer 'lstm.*' \(LSTM\) cannot be exported: returnSequences under a mask/);
      expect(readFileSync(path, 'utf8')).toBe('previous');
      expect(readdirSync(d)).toEqual(['model.onnx']);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
    const m = new Sequential([new Dense(2, { inputShape: [3] })]);
    expect(() => toOnnx(m, { opset: 11 })).toThrow(/opset to be an integer from 13 to 21, received 11/);
    expect(() => toOnnx(m, { batchSize: 2 })).toThrow(/dynamicBatch: false/);
    expect(() => toOnnx(m, { outputNames: ['a', 'b'] })).toThrow(/outputNames to be 1 non-empty/);
    expect(() => toOnnx(m, { opset: 17, dynamic: true } as never)).toThrow(NeuriteError);
    expect(() => toOnnx(m, { inputShape: [3] })).toThrow(/only for subclassed/);
  });

  it('a path that cannot be written leaves nothing behind', async () => {
    const m = new Sequential([new Dense(2, { inputShape: [3] })]);
    const d = dir();
    try {
      // A parent that is a file, not a folder.
      writeFileSync(join(d, 'file'), 'x');
      await expect(exportOnnx(m, join(d, 'file', 'model.onnx'))).rejects.toThrow(NeuriteError);
      rmSync(join(d, 'file'));
      if (process.getuid?.() !== 0) {
        chmodSync(d, 0o500);
        await expect(exportOnnx(m, join(d, 'model.onnx'))).rejects.toThrow(NeuriteError);
        chmodSync(d, 0o700);
      }
      // A directory where the file should go.
      await expect(exportOnnx(m, d)).rejects.toThrow(NeuriteError);
      expect(readdirSync(d)).toEqual([]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a subclassed model whose call uses raw ops is refused with the reason, and leaves its layers clean', async () => {
    const { add } = await import('../../src/ops/arithmetic.js');
    class Raw extends Model {
      d = new Dense(2);
      override call(x: Tensor): Tensor {
        return add(this.d.apply(x), 1) as Tensor;
      }
    }
    const r = new Raw();
    r.predict(seededTensor([1, 3], 1));
    expect(() => toOnnx(r)).toThrow(/could not trace subclassed model/);
    expect(r.d.inboundNodes.length).toBe(0);
    class Unbuilt extends Model {
      d = new Dense(2);
      override call(x: Tensor): Tensor {
        return this.d.apply(x);
      }
    }
    expect(() => toOnnx(new Unbuilt())).toThrow(/not built/);
  });
});
