// Passages of two novels for "which book is this from": read, cut into fixed-length word windows,
// balanced, and split into train / test by position (the test passages come from the end of each
// text, so no test window overlaps a training one).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The two books (examples/data/austen, see its README): label 0 and label 1. */
export const BOOKS = [
  { title: 'Pride and Prejudice', file: 'pride-and-prejudice.txt' },
  { title: 'Persuasion', file: 'persuasion.txt' },
] as const;

/** Labelled passages. */
export interface Passages {
  texts: string[];
  labels: number[];
}

/** The words of a book's body: from its first chapter heading on, without chapter headings. */
function bookWords(file: string): string[] {
  const lines = readFileSync(join(here, '..', 'data', 'austen', file), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^chapter\s+(1|i)\b/i.test(l.trim()));
  return lines
    .slice(Math.max(start, 0))
    .filter((l) => !/^chapter\s+\w+\.?$/i.test(l.trim()))
    .join(' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/**
 * Passages of `words` words from both books, as many from each (the shorter book decides), the
 * first `1 − testFraction` of each book for training and the rest for testing.
 */
export function loadPassages({ words = 30, testFraction = 0.2 } = {}): { train: Passages; test: Passages } {
  const perBook = BOOKS.map((b) => {
    const all = bookWords(b.file);
    const out: string[] = [];
    for (let i = 0; i + words <= all.length; i += words) out.push(all.slice(i, i + words).join(' '));
    return out;
  });
  const n = Math.min(...perBook.map((p) => p.length));
  const cut = Math.round(n * (1 - testFraction));
  const train: Passages = { texts: [], labels: [] };
  const test: Passages = { texts: [], labels: [] };
  // Interleave the books so every batch sees both.
  for (let i = 0; i < n; i++) {
    perBook.forEach((p, label) => {
      const into = i < cut ? train : test;
      into.texts.push(p[i]);
      into.labels.push(label);
    });
  }
  return { train, test };
}
