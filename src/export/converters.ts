import type { Converter } from './converter.js';
import { coreConverters } from './convert-core.js';
import { convConverters } from './convert-conv.js';
import { poolConverters } from './convert-pool.js';
import { mergeConverters } from './convert-merge.js';
import { rnnConverters } from './convert-rnn.js';
import { quantizedConverters } from './convert-quantized.js';
import { attentionConverters } from './convert-attention.js';

/** Every layer class that exports, by class name. */
export const converters: Record<string, Converter> = {
  ...coreConverters,
  ...convConverters,
  ...poolConverters,
  ...mergeConverters,
  ...rnnConverters,
  ...quantizedConverters,
  ...attentionConverters,
};
