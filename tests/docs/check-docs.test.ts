// CI's doc check: every public export has a doc comment (scripts/check-docs.mjs, also `npm run check-docs`).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error: a plain .mjs script without type declarations
import { undocumented } from '../../scripts/check-docs.mjs';

type Report = { exports: string[]; members: string[]; examples: string[] };
const check = undocumented as (entry: string, root?: string) => Report;

describe('doc comments on the public API', () => {
  it('every export of src/index.ts (and of its namespaces) has one', () => {
    const root = resolve(__dirname, '../..');
    const report = check(join(root, 'src/index.ts'), root);
    expect(report.exports).toEqual([]);
    // ... and every exported function and class (namespace members too) has an @example.
    expect(report.examples).toEqual([]);
  }, 60_000);

  it('finds an undocumented export, namespace member and class member (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-docs-'));
    try {
      writeFileSync(join(dir, 'ns.ts'), '/** Documented. */\nexport const a = 1;\nexport const b = 2;\n');
      writeFileSync(
        join(dir, 'index.ts'),
        [
          '/**', ' * Documented.', ' * @example good();', ' */', 'export function good() {}', 'export function bad() {}',
          '/** A class. */', 'export class K {', '  /** Documented. */', '  x = 1;', '  y = 2;', '  private z = 3;', '}',
          "export * as ns from './ns.js';",
        ].join('\n'),
      );
      const report = check(join(dir, 'index.ts'), dir);
      expect(report.exports).toEqual(['bad (index.ts:6)', 'ns.b (ns.ts:3)']);
      expect(report.members).toEqual(['K.y (index.ts:11)']);
      // Functions and classes need an @example (a constant does not).
      expect(report.examples).toEqual(['K (index.ts:8)', 'bad (index.ts:6)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
