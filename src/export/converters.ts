import type { Converter } from './converter.js';
import { coreConverters } from './convert-core.js';

/** Every layer class that exports, by class name. */
export const converters: Record<string, Converter> = {
  ...coreConverters,
};
