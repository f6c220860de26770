import { ValueError } from '../../util/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { baseOptionsFromConfig, LayerConfig, read, refuseUnsupported } from '../config.js';
import { LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';
import { StringInputLayer } from './string-layer.js';
import { TokenIndex } from './token-index.js';

/** Options of `StringLookup`. */
export interface StringLookupOptions extends LayerOptions {
  /** Cap on the vocabulary size, reserved tokens included (default: no cap). */
  maxTokens?: number | null;
  /** A token mapped to index 0 and meaning padding (default none). */
  maskToken?: string | null;
  /** The token of unknown strings (default `'[UNK]'`), at index 0, or 1 after a mask token. */
  oovToken?: string;
  /** A fixed vocabulary (instead of `adapt`), with or without the reserved tokens in front. */
  vocabulary?: readonly string[] | null;
  /** Only `'int'`: each string becomes its index. */
  outputMode?: 'int';
}

const OWN_OPTIONS = ['maxTokens', 'maskToken', 'oovToken', 'vocabulary', 'outputMode'];

/** `data` as one flat list of strings and its shape ([n] or [n, m]); ragged rows are refused. */
function flatten(data: readonly string[] | readonly (readonly string[])[], what: string): { flat: string[]; shape: number[] } {
  if (!Array.isArray(data)) throw new ValueError(`${what}: expected an array of strings (or of equal-length arrays of them), received ${typeof data}`);
  if (data.every((d) => typeof d === 'string')) return { flat: [...(data as string[])], shape: [data.length] };
  const rows = data as readonly (readonly string[])[];
  const width = Array.isArray(rows[0]) ? rows[0].length : -1;
  const bad = rows.findIndex((r) => !Array.isArray(r) || r.length !== width || r.some((t) => typeof t !== 'string'));
  if (bad >= 0) throw new ValueError(`${what}: expected strings, or rows of ${width} strings each; row ${bad} is not`);
  return { flat: rows.flat(), shape: [rows.length, width] };
}

/**
 * Maps strings to integer indices through a vocabulary learned by `adapt` (most frequent first) or
 * given: unknown strings get the OOV index, as Keras's StringLookup with one OOV index.
 * @example const l = new StringLookup({ vocabulary: ['a', 'b'] }); l.lookup(['b', 'z']); // [2, 0]
 */
export class StringLookup extends StringInputLayer {
  readonly className = 'StringLookup';
  protected readonly stringMethod = 'lookup(strings)';
  /** The mask token, or null. */
  readonly maskToken: string | null;
  /** The OOV token. */
  readonly oovToken: string;
  private readonly index: TokenIndex;

  constructor(options: StringLookupOptions = {}) {
    checkLayerOptions(options, OWN_OPTIONS, 'StringLookup');
    const { maxTokens = null, maskToken = null, oovToken = '[UNK]', vocabulary = null, outputMode = 'int', ...base } = options;
    super(base, 'StringLookup');
    const what = this.describe();
    if (maskToken !== null && typeof maskToken !== 'string') throw new ValueError(`${what}: expected maskToken to be a string or null, received ${JSON.stringify(maskToken)}`);
    if (typeof oovToken !== 'string' || oovToken === maskToken) throw new ValueError(`${what}: expected oovToken to be a string other than the mask token, received ${JSON.stringify(oovToken)}`);
    if (outputMode !== 'int') throw new ValueError(`${what}: only outputMode 'int' is supported, received ${JSON.stringify(outputMode)}`);
    this.maskToken = maskToken;
    this.oovToken = oovToken;
    this.index = new TokenIndex(maskToken, oovToken, maxTokens, what);
    if (vocabulary !== null) this.index.set(vocabulary, what);
  }

  /** Builds a StringLookup from its Keras config (vocabulary included). */
  static fromConfig(config: LayerConfig): StringLookup {
    refuseUnsupported('StringLookup', config, { num_oov_indices: 1, invert: false, output_mode: 'int', sparse: false, pad_to_max_tokens: false, idf_weights: null });
    return new StringLookup({
      maxTokens: read(config, 'max_tokens', null),
      maskToken: read(config, 'mask_token', null),
      oovToken: read(config, 'oov_token', '[UNK]'),
      vocabulary: read(config, 'vocabulary', null),
      ...baseOptionsFromConfig('StringLookup', config),
    });
  }

  /** Learns the vocabulary from strings (or rows of them): most frequent first, capped by maxTokens. */
  adapt(data: readonly string[] | readonly (readonly string[])[]): void {
    this.index.adapt([flatten(data, `${this.describe()}.adapt`).flat]);
  }

  /** The index of each string, as a float32 Tensor of the input's shape ([n] or [n, m]). */
  lookup(data: readonly string[] | readonly (readonly string[])[]): Tensor {
    const what = `${this.describe()}.lookup`;
    const { flat, shape } = flatten(data, what);
    return new Tensor(Float32Array.from(this.index.lookup(flat, what)), shape);
  }

  /** The vocabulary, reserved tokens first (`['[UNK]', …]`, or `[mask, '[UNK]', …]`). */
  getVocabulary(): string[] {
    return this.index.vocabulary(`${this.describe()}.getVocabulary`);
  }

  /** Replaces the vocabulary (with or without the reserved tokens in front). */
  setVocabulary(vocabulary: readonly string[]): void {
    this.index.set(vocabulary, `${this.describe()}.setVocabulary`);
  }

  /** Size of the vocabulary, reserved tokens included. */
  vocabularySize(): number {
    return this.getVocabulary().length;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  /** Keras's config; the vocabulary (without reserved tokens) is in it, so it saves with the model. */
  override getConfig(): Record<string, unknown> {
    return {
      max_tokens: this.index.maxTokens,
      num_oov_indices: 1,
      mask_token: this.maskToken,
      oov_token: this.oovToken,
      vocabulary: this.index.learned === null ? null : [...this.index.learned],
      vocabulary_dtype: 'string',
      idf_weights: null,
      invert: false,
      output_mode: 'int',
      sparse: false,
      pad_to_max_tokens: false,
      encoding: 'utf-8',
      ...super.getConfig(),
    };
  }
}
