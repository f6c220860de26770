/**
 * Text classification on real text: `npm run example:text` (or `npx tsx examples/text-classification.ts`).
 *
 * "Which book is this passage from?": 30-word passages of Jane Austen's *Pride and Prejudice* (label 0)
 * and *Persuasion* (label 1), public-domain texts shipped in examples/data/austen (see its README).
 * The test passages come from the last fifth of each book, so no test passage overlaps a training one.
 * Strings go in through `TextVectorization` (vocabulary learned from the training passages only), then:
 *  1. Embedding(maskZero) → GlobalAveragePooling1D (mean of the real tokens only) → Dense(sigmoid);
 *  2. Embedding → Conv1D (n-gram detectors) → GlobalMaxPooling1D → Dense(sigmoid);
 *  3. a small Transformer: token + position embeddings, one encoder block (self-attention with the padding
 *     masked, residual connections, LayerNormalization, feed-forward), masked mean, Dense(sigmoid); and
 *     the attention of one passage printed;
 *  4. the same Transformer as a graph (functional API): `transformerEncoder` wires MultiHeadAttention, Add,
 *     LayerNormalization and the feed-forward Dense layers on symbolic tensors, the padding mask flowing from
 *     the token embedding through every layer to the masked mean;
 *  5. a graph model (functional API): Input(int32) → Embedding(maskZero) → Bidirectional(LSTM) → Dense(sigmoid),
 *     the padding mask flowing from the Embedding into both directions of the LSTM by itself.
 * Measured with the defaults (4 epochs, all 2 926 training passages, 732 test passages): test accuracy
 * 0.80 (bag of embeddings), 0.84 (Conv1D), 0.78 (Transformer, ~10 s an epoch); 30 words are short,
 * and the models overfit after a few epochs (training accuracy reaches 1). The attention printed at the end
 * is close to uniform: which words occur decides this task, not how they relate. The point is the
 * pipeline, from raw strings to a trained, evaluated model, with every piece a Keras layer.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Adam,
  Add,
  Bidirectional,
  Conv1D,
  Input,
  LSTM,
  Dense,
  Embedding,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  Layer,
  LayerNormalization,
  Model,
  MultiHeadAttention,
  ops,
  setSeed,
  Tensor,
  tensor,
  TextVectorization,
} from '../src/index.js';
import type { Mask, Shape, SymbolicTensor } from '../src/index.js';
import type { History } from '../src/index.js';
import { BOOKS, loadPassages } from './lib/passages.js';

/** Tokens per passage after vectorization (passages have 30 words; punctuation-only words vanish). */
export const SEQUENCE_LENGTH = 32;

/** Embedding(maskZero) → masked mean over the tokens → one sigmoid unit. */
export class BagOfEmbeddings extends Model {
  embedding: Embedding;
  pool = new GlobalAveragePooling1D();
  out = new Dense(1, { activation: 'sigmoid' });

  constructor(vocabularySize: number) {
    super();
    this.embedding = new Embedding(vocabularySize, 16, { maskZero: true });
  }

  override call(x: Tensor): Tensor {
    const mask = this.embedding.computeMask(x, null) as Tensor;
    return this.out.apply(this.pool.apply(this.embedding.apply(x), { mask }));
  }
}

/** Embedding → Conv1D(32, 5) → max over positions → one sigmoid unit. */
export class ConvText extends Model {
  embedding: Embedding;
  conv = new Conv1D(32, 5, { padding: 'same', activation: 'relu' });
  pool = new GlobalMaxPooling1D();
  out = new Dense(1, { activation: 'sigmoid' });

  constructor(vocabularySize: number) {
    super();
    this.embedding = new Embedding(vocabularySize, 16);
  }

  override call(x: Tensor): Tensor {
    return this.out.apply(this.pool.apply(this.conv.apply(this.embedding.apply(x))));
  }
}

/**
 * One Transformer encoder block (post-norm, as "Attention is all you need"):
 * h = LayerNorm(x + MHA(x, x)); y = LayerNorm(h + FFN(h)), FFN = Dense(relu) → Dense. The padding
 * mask keeps attention off padded tokens. A class with `layers` and `call`, so a Model holding it
 * tracks (trains and saves) its layers.
 */
export class TransformerEncoderBlock {
  readonly attention: MultiHeadAttention;
  readonly norm1 = new LayerNormalization({ epsilon: 1e-6 });
  readonly norm2 = new LayerNormalization({ epsilon: 1e-6 });
  readonly ffn1: Dense;
  readonly ffn2: Dense;

  constructor(dModel: number, numHeads: number, ffnUnits: number) {
    this.attention = new MultiHeadAttention({ numHeads, keyDim: dModel / numHeads });
    this.ffn1 = new Dense(ffnUnits, { activation: 'relu' });
    this.ffn2 = new Dense(dModel);
  }

  /** Its layers, for the model's tracking. */
  get layers(): Layer[] {
    return [this.attention, this.norm1, this.norm2, this.ffn1, this.ffn2];
  }

  /** x `[batch, steps, dModel]`, mask `[batch, steps]` (1 token, 0 padding). */
  call(x: Tensor, mask: Tensor): Tensor {
    const attended = this.attention.applyAttention(x, x, { queryMask: mask, valueMask: mask });
    const h = this.norm1.apply(ops.add(x, attended));
    return this.norm2.apply(ops.add(h, this.ffn2.apply(this.ffn1.apply(h))));
  }
}

/** Token + position embeddings → one encoder block → masked mean → one sigmoid unit. */
export class TinyTransformer extends Model {
  tokens: Embedding;
  positions: Embedding;
  encoder: TransformerEncoderBlock;
  pool = new GlobalAveragePooling1D();
  out = new Dense(1, { activation: 'sigmoid' });

  constructor(vocabularySize: number, dModel = 16) {
    super();
    this.tokens = new Embedding(vocabularySize, dModel, { maskZero: true });
    this.positions = new Embedding(SEQUENCE_LENGTH, dModel);
    this.encoder = new TransformerEncoderBlock(dModel, 2, 32);
  }

  /** The embedded tokens plus their positions, and the padding mask. */
  embed(x: Tensor): { h: Tensor; mask: Tensor } {
    const steps = x.shape[1];
    const where = tensor(Array.from({ length: steps }, (_, t) => t), [1, steps]);
    return { h: ops.add(this.tokens.apply(x), this.positions.apply(where)), mask: this.tokens.computeMask(x, null) as Tensor };
  }

  override call(x: Tensor): Tensor {
    const { h, mask } = this.embed(x);
    return this.out.apply(this.pool.apply(this.encoder.call(h, mask), { mask }));
  }

  /** The attention scores `[heads, steps, steps]` of one vectorized passage `[1, steps]`. */
  attentionOf(x: Tensor): Tensor {
    const { h, mask } = this.embed(x);
    const [, scores] = this.encoder.attention.applyAttention(h, h, { queryMask: mask, valueMask: mask, returnAttentionScores: true });
    return ops.squeeze(scores, 0);
  }
}

/** Token embedding (padding 0 masked) plus a learned position embedding, as one layer of a graph. */
export class TokenAndPositionEmbedding extends Layer {
  readonly className = 'TokenAndPositionEmbedding';
  readonly tokens: Embedding;
  readonly positions: Embedding;

  constructor(vocabularySize: number, dModel: number) {
    super({}, 'TokenAndPositionEmbedding');
    this.tokens = new Embedding(vocabularySize, dModel, { maskZero: true });
    this.positions = new Embedding(SEQUENCE_LENGTH, dModel);
  }

  override build(inputShape: Shape): void {
    this.tokens.ensureBuilt(inputShape);
    this.positions.ensureBuilt([1, inputShape[1]]);
  }

  protected override sublayers(): Layer[] {
    return [this.tokens, this.positions];
  }

  computeOutputShape(inputShape: Shape): Shape {
    return this.tokens.computeOutputShape(inputShape) as Shape;
  }

  call(x: Tensor): Tensor {
    const steps = x.shape[1];
    return ops.add(this.tokens.apply(x), this.positions.apply(tensor(Array.from({ length: steps }, (_, t) => t), [1, steps])));
  }

  override computeMask(x: Tensor | Tensor[]): Mask {
    return this.tokens.computeMask(x, null) as Mask;
  }
}

/**
 * One encoder block on symbolic tensors: h = LayerNorm(x + MHA(x, x)); y = LayerNorm(h + FFN(h)). Every
 * piece is a Keras layer in the graph (nothing opaque); the padding mask reaches the attention by itself.
 */
export function transformerEncoder(x: SymbolicTensor, dModel: number, numHeads: number, ffnUnits: number): SymbolicTensor {
  const attended = new MultiHeadAttention({ numHeads, keyDim: dModel / numHeads }).apply([x, x]);
  const h = new LayerNormalization({ epsilon: 1e-6 }).apply(new Add().apply([x, attended]));
  const ffn = new Dense(dModel).apply(new Dense(ffnUnits, { activation: 'relu' }).apply(h));
  return new LayerNormalization({ epsilon: 1e-6 }).apply(new Add().apply([h, ffn]));
}

/** The Transformer as a functional graph: embeddings → one encoder block → masked mean → sigmoid. */
export function graphTransformer(vocabularySize: number, dModel = 16): Model {
  const ids = Input({ shape: [SEQUENCE_LENGTH], dtype: 'int32', name: 'token_ids' });
  const encoded = transformerEncoder(new TokenAndPositionEmbedding(vocabularySize, dModel).apply(ids), dModel, 2, 32);
  const out = new Dense(1, { activation: 'sigmoid' }).apply(new GlobalAveragePooling1D().apply(encoded));
  return new Model({ inputs: ids, outputs: out, name: 'graph_transformer' });
}

/**
 * A graph model: token ids in, Embedding with the padding masked, a Bidirectional LSTM that skips the masked
 * steps in both directions (the mask flows through the graph), one sigmoid unit.
 */
export function biLstm(vocabularySize: number, dModel = 16): Model {
  const ids = Input({ shape: [SEQUENCE_LENGTH], dtype: 'int32', name: 'token_ids' });
  const embedded = new Embedding(vocabularySize, dModel, { maskZero: true }).apply(ids);
  const encoded = new Bidirectional(new LSTM(12), { mergeMode: 'concat' }).apply(embedded);
  return new Model({ inputs: ids, outputs: new Dense(1, { activation: 'sigmoid' }).apply(encoded), name: 'bilstm' });
}

/** One trained model's results. */
export interface TextResult {
  model: Model;
  history: History;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
}

/** Options of `textClassification`. */
export interface TextClassificationOptions {
  epochs?: number;
  verbose?: 0 | 1 | 2;
  /** Which models to train (default all three). */
  models?: ('bag' | 'conv' | 'transformer' | 'graphTransformer' | 'bilstm')[];
  /** Use only the first n training passages (default all). */
  trainPassages?: number;
  /** Vocabulary cap, '' and '[UNK]' included. */
  maxTokens?: number;
}

/** Vectorizes the passages, trains the chosen models and measures them on the test passages. */
export async function textClassification({ epochs = 4, verbose = 1, models = ['bag', 'conv', 'transformer', 'graphTransformer', 'bilstm'], trainPassages, maxTokens = 6000 }: TextClassificationOptions = {}) {
  const { train: fullTrain, test } = loadPassages({ words: 30 });
  const n = trainPassages ?? fullTrain.texts.length;
  const train = { texts: fullTrain.texts.slice(0, n), labels: fullTrain.labels.slice(0, n) };
  const vectorizer = new TextVectorization({ maxTokens, outputSequenceLength: SEQUENCE_LENGTH });
  vectorizer.adapt(train.texts);
  const xTrain = vectorizer.vectorize(train.texts);
  const xTest = vectorizer.vectorize(test.texts);
  const vocabularySize = vectorizer.vocabularySize();

  const builders: Record<'bag' | 'conv' | 'transformer' | 'graphTransformer' | 'bilstm', (v: number) => Model> = {
    graphTransformer: (v) => graphTransformer(v),
    bag: (v) => new BagOfEmbeddings(v),
    conv: (v) => new ConvText(v),
    transformer: (v) => new TinyTransformer(v),
    bilstm: (v) => biLstm(v),
  };
  const results: Partial<Record<'bag' | 'conv' | 'transformer' | 'graphTransformer' | 'bilstm', TextResult>> = {};
  for (const kind of models) {
    setSeed(`text-${kind}`);
    const started = Date.now();
    const model = builders[kind](vocabularySize);
    model.compile({ optimizer: new Adam({ learningRate: 0.005 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(xTrain, train.labels, { epochs, batchSize: 32, validationSplit: 0.1, verbose });
    const { loss: testLoss, accuracy: testAccuracy } = model.evaluate(xTest, test.labels);
    results[kind] = { model, history, testLoss, testAccuracy, seconds: (Date.now() - started) / 1000 };
  }
  return { results, vectorizer, train, test, vocabularySize };
}

async function main() {
  const { results, vectorizer, test, vocabularySize } = await textClassification();
  console.log(`\n${BOOKS[0].title} (0) vs ${BOOKS[1].title} (1); vocabulary ${vocabularySize} tokens; ${test.texts.length} test passages.`);
  for (const [kind, r] of Object.entries(results)) {
    console.log(`${kind.padEnd(12)} ${r.history.epoch.length} epochs in ${r.seconds.toFixed(1)} s; test loss ${r.testLoss.toFixed(4)}  accuracy ${r.testAccuracy.toFixed(4)}`);
  }
  const transformer = results.transformer?.model as TinyTransformer | undefined;
  if (transformer !== undefined) {
    const passage = test.texts[1];
    const x = vectorizer.vectorize([passage]);
    const words = vectorizer.tokenize([passage])[0].slice(0, SEQUENCE_LENGTH);
    const scores = transformer.attentionOf(x).toArray() as number[][][];
    console.log(`\nAttention of head 0 in: "${passage}"\n(for each word, the word it attends to most)`);
    words.forEach((w, i) => {
      const row = scores[0][i];
      const j = row.indexOf(Math.max(...row.slice(0, words.length)));
      console.log(`  ${w.padEnd(14)} → ${words[j].padEnd(14)} ${row[j].toFixed(2)}`);
    });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
