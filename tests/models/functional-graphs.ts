// The graphs of Keras's functional API guide, built the same way in neurite and in TF.js, with the
// same layer names so weights can be copied layer by layer.
import type * as tfType from '@tensorflow/tfjs';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Add } from '../../src/layers/merge/add.js';
import { Concatenate } from '../../src/layers/merge/concatenate.js';
import { Multiply } from '../../src/layers/merge/multiply.js';
import { Embedding } from '../../src/layers/core/embedding.js';
import { GlobalAveragePooling1D } from '../../src/layers/pooling/global-average-pooling1d.js';
import { Model } from '../../src/models/model.js';
import { SymbolicTensor } from '../../src/graph/symbolic-tensor.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { seededTensor } from '../helpers/seeded.js';

/** A graph in both libraries plus inputs to run it on. */
export interface GraphPair {
  ours: Model<SymbolicTensor | SymbolicTensor[]>;
  theirs: tfType.LayersModel;
  inputs: Tensor[];
}

/** Two inputs, two outputs (the guide's ticket classifier, with dense features instead of text). */
export function twoInTwoOut(tf: typeof tfType): GraphPair {
  const title = Input({ shape: [6], name: 'title' });
  const body = Input({ shape: [4], name: 'body' });
  const t = new Dense(5, { activation: 'relu', name: 't_feat' }).apply(title);
  const b = new Dense(3, { activation: 'tanh', name: 'b_feat' }).apply(body);
  const merged = new Concatenate({ name: 'merged' }).apply([t, b]);
  const priority = new Dense(1, { activation: 'sigmoid', name: 'priority' }).apply(merged);
  const department = new Dense(3, { activation: 'softmax', name: 'department' }).apply(merged);
  const ours = new Model({ inputs: [title, body], outputs: [priority, department], name: 'tickets' });

  const tTitle = tf.input({ shape: [6], name: 'title' });
  const tBody = tf.input({ shape: [4], name: 'body' });
  const tt = tf.layers.dense({ units: 5, activation: 'relu', name: 't_feat' }).apply(tTitle) as tfType.SymbolicTensor;
  const tb = tf.layers.dense({ units: 3, activation: 'tanh', name: 'b_feat' }).apply(tBody) as tfType.SymbolicTensor;
  const tm = tf.layers.concatenate({ name: 'merged' }).apply([tt, tb]) as tfType.SymbolicTensor;
  const tp = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'priority' }).apply(tm) as tfType.SymbolicTensor;
  const td = tf.layers.dense({ units: 3, activation: 'softmax', name: 'department' }).apply(tm) as tfType.SymbolicTensor;
  const theirs = tf.model({ inputs: [tTitle, tBody], outputs: [tp, td], name: 'tickets' });
  return { ours, theirs, inputs: [seededTensor([5, 6], 1), seededTensor([5, 4], 2)] };
}

/** A residual block: conv → conv, added back to the block's input, then a dense head. */
export function residual(tf: typeof tfType): GraphPair {
  const x = Input({ shape: [6, 6, 3], name: 'img' });
  const c1 = new Conv2D(3, 3, { padding: 'same', activation: 'relu', name: 'conv1' }).apply(x);
  const c2 = new Conv2D(3, 3, { padding: 'same', name: 'conv2' }).apply(c1);
  const sum = new Add({ name: 'skip' }).apply([x, c2]);
  const y = new Dense(2, { name: 'head' }).apply(new Flatten({ name: 'flat' }).apply(sum));
  const ours = new Model({ inputs: x, outputs: y, name: 'resnet' });

  const tx = tf.input({ shape: [6, 6, 3], name: 'img' });
  const tc1 = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }).apply(tx) as tfType.SymbolicTensor;
  const tc2 = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'conv2' }).apply(tc1) as tfType.SymbolicTensor;
  const ts = tf.layers.add({ name: 'skip' }).apply([tx, tc2]) as tfType.SymbolicTensor;
  const ty = tf.layers.dense({ units: 2, name: 'head' }).apply(tf.layers.flatten({ name: 'flat' }).apply(ts)) as tfType.SymbolicTensor;
  const theirs = tf.model({ inputs: tx, outputs: ty, name: 'resnet' });
  return { ours, theirs, inputs: [seededTensor([4, 6, 6, 3], 3)] };
}

/** One layer shared by two inputs (the guide's shared embedding), merged by a product. */
export function sharedLayer(tf: typeof tfType): GraphPair {
  const a = Input({ shape: [4], name: 'left' });
  const b = Input({ shape: [4], name: 'right' });
  const shared = new Dense(3, { activation: 'tanh', name: 'shared' });
  const prod = new Multiply({ name: 'prod' }).apply([shared.apply(a), shared.apply(b)]);
  const y = new Dense(1, { name: 'score' }).apply(prod);
  const ours = new Model({ inputs: [a, b], outputs: y, name: 'siamese' });

  const ta = tf.input({ shape: [4], name: 'left' });
  const tb = tf.input({ shape: [4], name: 'right' });
  const tShared = tf.layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
  const tp = tf.layers.multiply({ name: 'prod' }).apply([tShared.apply(ta), tShared.apply(tb)] as tfType.SymbolicTensor[]) as tfType.SymbolicTensor;
  const ty = tf.layers.dense({ units: 1, name: 'score' }).apply(tp) as tfType.SymbolicTensor;
  const theirs = tf.model({ inputs: [ta, tb], outputs: ty, name: 'siamese' });
  return { ours, theirs, inputs: [seededTensor([6, 4], 4), seededTensor([6, 4], 5)] };
}

/** One Embedding shared by two token inputs (the guide's shared embedding), pooled, joined, scored. */
export function sharedEmbedding(tf: typeof tfType): GraphPair {
  const a = Input({ shape: [5], name: 'tokens_a', dtype: 'int32' });
  const b = Input({ shape: [5], name: 'tokens_b', dtype: 'int32' });
  const embed = new Embedding(10, 4, { name: 'embed' });
  const pa = new GlobalAveragePooling1D({ name: 'pool_a' }).apply(embed.apply(a));
  const pb = new GlobalAveragePooling1D({ name: 'pool_b' }).apply(embed.apply(b));
  const y = new Dense(1, { name: 'same' }).apply(new Concatenate({ name: 'pair' }).apply([pa, pb]));
  const ours = new Model({ inputs: [a, b], outputs: y, name: 'shared_embedding' });

  const ta = tf.input({ shape: [5], name: 'tokens_a', dtype: 'int32' });
  const tb = tf.input({ shape: [5], name: 'tokens_b', dtype: 'int32' });
  const tEmbed = tf.layers.embedding({ inputDim: 10, outputDim: 4, name: 'embed' });
  const tpa = tf.layers.globalAveragePooling1d({ name: 'pool_a' }).apply(tEmbed.apply(ta)) as tfType.SymbolicTensor;
  const tpb = tf.layers.globalAveragePooling1d({ name: 'pool_b' }).apply(tEmbed.apply(tb)) as tfType.SymbolicTensor;
  const tp = tf.layers.concatenate({ name: 'pair' }).apply([tpa, tpb]) as tfType.SymbolicTensor;
  const ty = tf.layers.dense({ units: 1, name: 'same' }).apply(tp) as tfType.SymbolicTensor;
  const theirs = tf.model({ inputs: [ta, tb], outputs: ty, name: 'shared_embedding' });
  const tokens = (seed: number): Tensor => new Tensor(Float32Array.from(seededTensor([6, 5], seed, 0, 10).data, (v) => Math.floor(v)), [6, 5]);
  return { ours, theirs, inputs: [tokens(6), tokens(7)] };
}

/** Copies every layer's weights from neurite to the TF.js twin, matched by layer name. */
export function copyWeights(pair: GraphPair, tf: typeof tfType): void {
  for (const layer of pair.ours.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    pair.theirs.getLayer(layer.name).setWeights(ws.map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
  }
}
