import { NeuriteError, ValueError } from '../../util/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { baseOptionsFromConfig, LayerConfig, read, refuseUnsupported } from '../config.js';
import { LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';
import { StringInputLayer } from './string-layer.js';
import { Split, splitText, Standardize, standardizeText } from './text-standardize.js';
import { TokenIndex } from './token-index.js';

/** Options of `TextVectorization`. */
export interface TextVectorizationOptions extends LayerOptions {
  /** Cap on the vocabulary, '' and '[UNK]' included (default: no cap). */
  maxTokens?: number | null;
  /** Lowercasing and punctuation removal (default `'lower_and_strip_punctuation'`). */
  standardize?: Standardize;
  /** Tokenization (default `'whitespace'`). */
  split?: Split;
  /** Only `'int'`: token indices. */
  outputMode?: 'int';
  /** Pad with 0 or truncate every text to this many tokens (default: pad to the longest in the call). */
  outputSequenceLength?: number | null;
  /** A fixed vocabulary (instead of `adapt`), with or without '' and '[UNK]' in front. */
  vocabulary?: readonly string[] | null;
}

const OWN_OPTIONS = ['maxTokens', 'standardize', 'split', 'outputMode', 'outputSequenceLength', 'vocabulary'];
const STANDARDIZE_IDS = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'];
const SPLIT_IDS = ['whitespace', 'character'];

/**
 * Text to integer sequences as Keras's TextVectorization (outputMode 'int'): standardize, split,
 * look each token up in the vocabulary (0 padding, 1 '[UNK]' for unknown tokens, then the tokens
 * `adapt` found, most frequent first), pad or truncate.
 * @example const tv = new TextVectorization({ outputSequenceLength: 4 }); tv.adapt(['a b b']); tv.vectorize(['b a c']); // [[2, 3, 1, 0]]
 */
export class TextVectorization extends StringInputLayer {
  readonly className = 'TextVectorization';
  protected readonly stringMethod = 'vectorize(texts)';
  /** Standardize setting. */
  readonly standardize: Standardize;
  /** Split setting. */
  readonly split: Split;
  /** Output length, or null. */
  readonly outputSequenceLength: number | null;
  private readonly index: TokenIndex;

  constructor(options: TextVectorizationOptions = {}) {
    checkLayerOptions(options, OWN_OPTIONS, 'TextVectorization');
    const { maxTokens = null, standardize = 'lower_and_strip_punctuation', split = 'whitespace', outputMode = 'int', outputSequenceLength = null, vocabulary = null, ...base } = options;
    super(base, 'TextVectorization');
    const what = this.describe();
    if (standardize !== null && typeof standardize !== 'function' && !STANDARDIZE_IDS.includes(standardize)) {
      throw new ValueError(`${what}: expected standardize ${STANDARDIZE_IDS.map((s) => `'${s}'`).join(', ')}, null or a function, received ${JSON.stringify(standardize)}`);
    }
    if (split !== null && typeof split !== 'function' && !SPLIT_IDS.includes(split)) {
      throw new ValueError(`${what}: expected split 'whitespace', 'character', null or a function, received ${JSON.stringify(split)}`);
    }
    if (outputMode !== 'int') throw new ValueError(`${what}: only outputMode 'int' is supported, received ${JSON.stringify(outputMode)}`);
    if (outputSequenceLength !== null && (!Number.isInteger(outputSequenceLength) || outputSequenceLength <= 0)) {
      throw new ValueError(`${what}: expected outputSequenceLength to be a positive integer or null, received ${JSON.stringify(outputSequenceLength)}`);
    }
    this.standardize = standardize;
    this.split = split;
    this.outputSequenceLength = outputSequenceLength;
    this.index = new TokenIndex('', '[UNK]', maxTokens, what);
    if (vocabulary !== null) this.index.set(vocabulary, what);
  }

  /** Builds a TextVectorization from its Keras config (vocabulary included). */
  static fromConfig(config: LayerConfig): TextVectorization {
    refuseUnsupported('TextVectorization', config, { ngrams: null, output_mode: 'int', pad_to_max_tokens: false, sparse: false, ragged: false, idf_weights: null });
    return new TextVectorization({
      maxTokens: read(config, 'max_tokens', null),
      standardize: read(config, 'standardize', 'lower_and_strip_punctuation'),
      split: read(config, 'split', 'whitespace'),
      outputSequenceLength: read(config, 'output_sequence_length', null),
      vocabulary: read(config, 'vocabulary', null),
      ...baseOptionsFromConfig('TextVectorization', config),
    });
  }

  /** The tokens of each text after standardize and split. */
  tokenize(texts: readonly string[]): string[][] {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
      throw new ValueError(`${this.describe()}: expected an array of strings, received ${Array.isArray(texts) ? 'an array with a non-string' : typeof texts}`);
    }
    return texts.map((t) => splitText(standardizeText(t, this.standardize), this.split));
  }

  /** Learns the vocabulary from texts: the most frequent tokens (ties: the larger token first), up to maxTokens − 2. */
  adapt(texts: readonly string[]): void {
    this.index.adapt(this.tokenize(texts));
  }

  /** Token indices `[texts, length]` (float32), padded with 0 / truncated to outputSequenceLength or the longest text. */
  vectorize(texts: readonly string[]): Tensor {
    const what = `${this.describe()}.vectorize`;
    const rows = this.tokenize(texts).map((tokens) => this.index.lookup(tokens, what));
    const length = this.outputSequenceLength ?? rows.reduce((n, r) => Math.max(n, r.length), 0);
    const out = new Float32Array(rows.length * length);
    rows.forEach((r, i) => out.set(r.slice(0, length), i * length));
    return new Tensor(out, [rows.length, length]);
  }

  /** The vocabulary: '' (padding), '[UNK]', then the learned tokens. */
  getVocabulary(): string[] {
    return this.index.vocabulary(`${this.describe()}.getVocabulary`);
  }

  /** Replaces the vocabulary (with or without '' and '[UNK]' in front). */
  setVocabulary(vocabulary: readonly string[]): void {
    this.index.set(vocabulary, `${this.describe()}.setVocabulary`);
  }

  /** Size of the vocabulary, '' and '[UNK]' included: the `inputDim` an Embedding after it needs. */
  vocabularySize(): number {
    return this.getVocabulary().length;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.outputSequenceLength];
  }

  /** Keras's config, the vocabulary (without '' and '[UNK]') included; custom functions cannot be saved. */
  override getConfig(): Record<string, unknown> {
    if (typeof this.standardize === 'function' || typeof this.split === 'function') {
      throw new NeuriteError(`${this.describe()}.getConfig: a custom standardize or split function cannot be written to a config; use the built-in ids to save`);
    }
    const learned = this.index.learned;
    return {
      max_tokens: this.index.maxTokens,
      standardize: this.standardize,
      split: this.split,
      ngrams: null,
      output_mode: 'int',
      output_sequence_length: this.outputSequenceLength,
      pad_to_max_tokens: false,
      sparse: false,
      ragged: false,
      vocabulary: learned === null ? null : [...learned],
      idf_weights: null,
      encoding: 'utf-8',
      vocabulary_size: learned === null ? null : learned.length + 2,
      ...super.getConfig(),
    };
  }
}
