// TF.js's own loader (tf.loadLayersModel over HTTP, served from the saved folder) reads what save
// writes: it finds the weights through the manifest's `paths`, whatever the file is named.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tfCpu, tfData } from '../helpers/tf.js';
import { tensor } from '../../src/tensor/creation.js';
import { cleanUpDirs, freshDir } from './tf-files.js';
import { modelB } from './crash-models.js';

afterAll(cleanUpDirs);

describe('tf.loadLayersModel reads a saved folder', () => {
  it('through its HTTP loader, fetching the weights file the manifest names, and predicts the same', async () => {
    const tf = await tfCpu();
    const model = modelB();
    const dir = freshDir();
    await model.save(dir);
    const requested: string[] = [];
    // Serves files of `dir` for URLs under http://model.test/.
    const fetchFunc = async (url: string | URL | Request): Promise<Response> => {
      const name = new URL(url instanceof Request ? url.url : url).pathname.slice(1);
      requested.push(name);
      return new Response(readFileSync(join(dir, name)), { status: 200 });
    };
    const tfModel = await tf.loadLayersModel('http://model.test/model.json', { fetchFunc });
    expect(requested[0]).toBe('model.json');
    expect(requested.slice(1)).toEqual(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths);
    const x = [[0.5, -1, 2], [3, 0.25, -0.75]];
    const want = model.predict(tensor(x));
    const got = tfData(tfModel.predict(tf.tensor2d(x)) as import('@tensorflow/tfjs').Tensor);
    Array.from(want.data).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });
});
