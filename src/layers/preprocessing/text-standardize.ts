/** How TextVectorization standardizes: a Keras id, null (as is), or a function. */
export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((text: string) => string);

/** How TextVectorization splits: a Keras id, null (the whole text is one token), or a function. */
export type Split = 'whitespace' | 'character' | null | ((text: string) => string[]);

/** Keras's DEFAULT_STRIP_REGEX: ASCII punctuation ! " # $ % & ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~ '. */
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

/** Applies a standardize setting to one text. */
export function standardizeText(text: string, standardize: Standardize): string {
  if (standardize === null) return text;
  if (typeof standardize === 'function') return standardize(text);
  const lowered = standardize === 'strip_punctuation' ? text : text.toLowerCase();
  return standardize === 'lower' ? lowered : lowered.replace(PUNCTUATION, '');
}

/** Applies a split setting to one text: whitespace runs (no empty tokens), code points, or none. */
export function splitText(text: string, split: Split): string[] {
  if (split === null) return [text];
  if (typeof split === 'function') return split(text);
  if (split === 'character') return Array.from(text);
  return text.split(/\s+/).filter((t) => t.length > 0);
}
