import { describe, expect, it } from 'vitest';
import { TextVectorization } from '../../../src/layers/preprocessing/text-vectorization.js';
import { StringLookup } from '../../../src/layers/preprocessing/string-lookup.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { NeuriteError, ValueError } from '../../../src/util/errors.js';
import { expectErrorMentioning } from '../harness.js';
import { tensor } from '../../../src/tensor/creation.js';

describe('StringLookup', () => {
  it("maps strings as the Keras docs' examples (vocabulary given, with and without a mask token)", () => {
    // keras.io StringLookup examples: vocab ['a', 'b', 'c', 'd'].
    const vocab = ['a', 'b', 'c', 'd'];
    expect(new StringLookup({ vocabulary: vocab }).lookup([['a', 'c', 'd'], ['d', 'z', 'b']]).toArray()).toEqual([[1, 3, 4], [4, 0, 2]]);
    const masked = new StringLookup({ vocabulary: vocab, maskToken: '' });
    expect(masked.lookup([['a', 'c', 'd'], ['d', '', 'b']]).toArray()).toEqual([[2, 4, 5], [5, 0, 3]]);
    expect(masked.getVocabulary()).toEqual(['', '[UNK]', 'a', 'b', 'c', 'd']);
  });

  it("adapts as the Keras docs' example: by count, ties by token high to low", () => {
    const layer = new StringLookup();
    layer.adapt([['a', 'c', 'd'], ['d', 'z', 'b']]);
    expect(layer.getVocabulary()).toEqual(['[UNK]', 'd', 'z', 'c', 'b', 'a']);
    expect(layer.lookup(['a', 'q']).toArray()).toEqual([5, 0]);
    const capped = new StringLookup({ maxTokens: 3 });
    capped.adapt(['x', 'y', 'y', 'w', 'w', 'w']);
    expect(capped.getVocabulary()).toEqual(['[UNK]', 'w', 'y']);
  });

  it('saves its vocabulary in its config and reads it back', () => {
    const layer = new StringLookup({ maskToken: '<pad>', name: 'lk' });
    layer.adapt(['b', 'a', 'b']);
    const config = JSON.parse(JSON.stringify(layer.getConfig()));
    expect(config).toMatchObject({ vocabulary: ['b', 'a'], mask_token: '<pad>', oov_token: '[UNK]', num_oov_indices: 1, name: 'lk' });
    const back = layerFromConfig('StringLookup', config) as StringLookup;
    expect(back.getVocabulary()).toEqual(layer.getVocabulary());
    expect(back.getConfig()).toEqual(config);
  });

  it('refuses use before adapt, bad vocabularies, ragged input and unsupported options', () => {
    const fresh = new StringLookup({ name: 'lk_new' });
    expectErrorMentioning(() => fresh.lookup(['a']), NeuriteError, 'lk_new (StringLookup)', 'adapt');
    expectErrorMentioning(() => fresh.getVocabulary(), NeuriteError, 'adapt');
    expectErrorMentioning(() => fresh.setVocabulary(['a', 'b', 'a']), ValueError, 'repeats', '"a"');
    expectErrorMentioning(() => fresh.setVocabulary(['a', '[UNK]']), ValueError, 'reserved token', '"[UNK]"');
    expectErrorMentioning(() => new StringLookup({ maxTokens: 2, vocabulary: ['a', 'b'] }), ValueError, '3 entries', 'maxTokens 2');
    expectErrorMentioning(() => new StringLookup({ vocabulary: ['a'] }).lookup([['a'], ['a', 'a']]), ValueError, 'row 1');
    expectErrorMentioning(() => new StringLookup({ invert: true } as never), ValueError, "unknown option 'invert'");
    expectErrorMentioning(() => layerFromConfig('StringLookup', { num_oov_indices: 2 }), NeuriteError, 'num_oov_indices');
    expectErrorMentioning(() => fresh.apply(tensor([1, 2])), NeuriteError, 'takes strings', 'lookup(strings)');
  });
});

describe('TextVectorization', () => {
  it("vectorizes as the Keras docs' example with a given vocabulary", () => {
    // keras.io TextVectorization example: vocabulary ["earth", "wind", "and", "fire"], output_sequence_length 4.
    const layer = new TextVectorization({ maxTokens: 5000, outputSequenceLength: 4, vocabulary: ['earth', 'wind', 'and', 'fire'] });
    expect(layer.vectorize(['earth wind and fire', 'fire and earth michigan']).toArray()).toEqual([[2, 3, 4, 5], [5, 4, 2, 1]]);
  });

  it('standardizes (lowercase, Keras punctuation set), splits, pads with 0 and truncates', () => {
    const layer = new TextVectorization();
    layer.adapt(['The cat sat.', 'the DOG sat', 'A cat!']);
    // Counts: the 2, cat 2, sat 2, dog 1, a 1; ties high to low.
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'the', 'sat', 'cat', 'dog', 'a']);
    expect(layer.vectorize(['A dog, a CAT?', 'bird'])).toMatchObject({ shape: [2, 4] });
    expect(layer.vectorize(['A dog, a CAT?', 'bird']).toArray()).toEqual([[6, 5, 6, 4], [1, 0, 0, 0]]);
    const short = new TextVectorization({ outputSequenceLength: 2, vocabulary: layer.getVocabulary() });
    expect(short.vectorize(['the cat sat', 'cat']).toArray()).toEqual([[2, 4], [4, 0]]);
    expect(new TextVectorization({ standardize: 'lower', split: null, vocabulary: ['a.b'] }).vectorize(['A.B', 'a b']).toArray()).toEqual([[2], [1]]);
    const chars = new TextVectorization({ standardize: 'strip_punctuation', split: 'character' });
    chars.adapt(["a-b'a"]);
    expect(chars.getVocabulary()).toEqual(['', '[UNK]', 'a', 'b']);
    const custom = new TextVectorization({ standardize: (t) => t.replace(/\d/g, '#'), split: (t) => t.split('|') });
    custom.adapt(['x1|y', 'x2']);
    expect(custom.getVocabulary()).toEqual(['', '[UNK]', 'x#', 'y']);
  });

  it('caps the vocabulary at maxTokens including the two reserved entries', () => {
    const layer = new TextVectorization({ maxTokens: 4 });
    layer.adapt(['a a a b b c d']);
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'a', 'b']);
    expect(layer.vocabularySize()).toBe(4);
  });

  it('saves the vocabulary in its config, and loads it back identically', () => {
    const layer = new TextVectorization({ maxTokens: 10, outputSequenceLength: 3, name: 'tv' });
    layer.adapt(['to be or not to be']);
    const config = JSON.parse(JSON.stringify(layer.getConfig()));
    expect(config).toMatchObject({ max_tokens: 10, output_sequence_length: 3, standardize: 'lower_and_strip_punctuation', split: 'whitespace', output_mode: 'int', vocabulary: ['to', 'be', 'or', 'not'] });
    const back = layerFromConfig('TextVectorization', config) as TextVectorization;
    expect(back.getVocabulary()).toEqual(layer.getVocabulary());
    expect(back.vectorize(['not to x']).toArray()).toEqual(layer.vectorize(['not to x']).toArray());
    expect(back.getConfig()).toEqual(config);
  });

  it('refuses use before adapt, bad options, non-strings and unsavable functions', () => {
    const layer = new TextVectorization({ name: 'tv_new' });
    expectErrorMentioning(() => layer.vectorize(['a']), NeuriteError, 'tv_new (TextVectorization)', 'adapt');
    expectErrorMentioning(() => layer.getVocabulary(), NeuriteError, 'adapt');
    expectErrorMentioning(() => new TextVectorization({ standardize: 'upper' as never }), ValueError, 'standardize', 'upper');
    expectErrorMentioning(() => new TextVectorization({ split: 'words' as never }), ValueError, 'split', 'words');
    expectErrorMentioning(() => new TextVectorization({ outputMode: 'multi_hot' as never }), ValueError, "'int'");
    expectErrorMentioning(() => new TextVectorization({ maxTokens: 1 }), ValueError, 'maxTokens');
    expectErrorMentioning(() => new TextVectorization({ ngrams: 2 } as never), ValueError, "unknown option 'ngrams'");
    expectErrorMentioning(() => layer.adapt([1, 2] as never), ValueError, 'strings');
    expectErrorMentioning(() => new TextVectorization({ split: (t) => [t] }).getConfig(), NeuriteError, 'custom');
    expectErrorMentioning(() => layerFromConfig('TextVectorization', { output_mode: 'tf_idf' }), NeuriteError, 'output_mode');
  });
});
