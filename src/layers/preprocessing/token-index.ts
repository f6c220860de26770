import { NeuriteError, ValueError } from '../../util/errors.js';

/**
 * The vocabulary shared by StringLookup and TextVectorization, laid out as Keras's IndexLookup:
 * the reserved tokens first (the mask token at 0 when there is one, then the OOV token), then the
 * learned tokens. `adapt` counts tokens and keeps the most frequent, ties broken by the tokens in
 * descending order (Keras: "ties broken by sort order of the tokens, high to low").
 */
export class TokenIndex {
  /** Tokens before the learned ones: `[mask, oov]` or `[oov]`. */
  readonly reserved: readonly string[];
  /** Cap on the whole vocabulary (reserved tokens included), or null. */
  readonly maxTokens: number | null;
  private tokens: string[] | null = null;
  private index = new Map<string, number>();

  constructor(maskToken: string | null, oovToken: string, maxTokens: number | null, what: string) {
    if (maxTokens !== null && (!Number.isInteger(maxTokens) || maxTokens <= 1)) {
      throw new ValueError(`${what}: expected maxTokens to be an integer > 1 or null, received ${JSON.stringify(maxTokens)}`);
    }
    this.reserved = maskToken === null ? [oovToken] : [maskToken, oovToken];
    this.maxTokens = maxTokens;
  }

  /** Index of the OOV token (where unknown tokens go). */
  get oovIndex(): number {
    return this.reserved.length - 1;
  }

  /** Whether a vocabulary is set (by adapt or setVocabulary). */
  get ready(): boolean {
    return this.tokens !== null;
  }

  /** The learned tokens (no reserved ones), or null before adapt. */
  get learned(): readonly string[] | null {
    return this.tokens;
  }

  /** Learns the vocabulary from token lists: by count (descending), ties by token (descending). */
  adapt(tokenLists: Iterable<readonly string[]>): void {
    const counts = new Map<string, number>();
    for (const list of tokenLists) for (const t of list) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const r of this.reserved) counts.delete(r);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)).map(([t]) => t);
    const room = this.maxTokens === null ? ranked.length : Math.max(this.maxTokens - this.reserved.length, 0);
    this.setLearned(ranked.slice(0, room));
  }

  /**
   * Sets the vocabulary, with or without the reserved tokens in front (as Keras's set_vocabulary).
   * Duplicates, reserved tokens elsewhere, and more than maxTokens entries are refused.
   */
  set(vocabulary: readonly string[], what: string): void {
    if (!Array.isArray(vocabulary) || vocabulary.some((t) => typeof t !== 'string')) {
      throw new ValueError(`${what}: expected the vocabulary to be an array of strings`);
    }
    const starts = this.reserved.every((r, i) => vocabulary[i] === r);
    const learned = starts ? vocabulary.slice(this.reserved.length) : [...vocabulary];
    const seen = new Set<string>();
    for (const [i, t] of learned.entries()) {
      if (this.reserved.includes(t)) throw new ValueError(`${what}: the reserved token ${JSON.stringify(t)} may only come first in the vocabulary, found at entry ${i}`);
      if (seen.has(t)) throw new ValueError(`${what}: the vocabulary repeats the token ${JSON.stringify(t)}`);
      seen.add(t);
    }
    const size = learned.length + this.reserved.length;
    if (this.maxTokens !== null && size > this.maxTokens) {
      throw new ValueError(`${what}: the vocabulary has ${size} entries (reserved tokens included), more than maxTokens ${this.maxTokens}`);
    }
    this.setLearned(learned);
  }

  private setLearned(learned: string[]): void {
    this.tokens = learned;
    this.index = new Map(learned.map((t, i) => [t, i + this.reserved.length]));
    this.reserved.forEach((r, i) => this.index.set(r, i));
  }

  /** The whole vocabulary, reserved tokens first; throws before adapt / setVocabulary. */
  vocabulary(what: string): string[] {
    return [...this.reserved, ...this.require(what)];
  }

  /** The index of each token (OOV for unknown ones). */
  lookup(tokens: readonly string[], what: string): number[] {
    this.require(what);
    return tokens.map((t) => this.index.get(t) ?? this.oovIndex);
  }

  private require(what: string): readonly string[] {
    if (this.tokens === null) throw new NeuriteError(`${what}: no vocabulary yet; call adapt(data) or setVocabulary(vocabulary) first`);
    return this.tokens;
  }
}
