// The public types reject typos: tsc (strict, noUncheckedIndexedAccess, as `tsc --init` now sets) must
// report exactly the errors marked in each fixture (typos.ts, history-keys.ts), line by line, and nothing else.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

/** The diagnostics tsc reports for `fixture` and the ones its `// @error TSxxxx` marks expect, as `fixture:line TSxxxx`. */
function diagnose(fixture: string): { found: string[]; expected: string[] } {
    const program = ts.createProgram([fixture], {
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      skipLibCheck: true,
    });
    // Only the fixture's own diagnostics: users compile against the library's declarations (the library's
    // sources are checked with the project's settings by `npm run typecheck`).
    const source = program.getSourceFile(fixture)!;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    const found = diagnostics.map((d) => {
      const file = d.file?.fileName ?? '?';
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${file === fixture ? 'fixture' : file}:${line} TS${d.code}`;
    });
    const expected = readFileSync(fixture, 'utf8')
      .split('\n')
      .flatMap((text, i) => {
        const m = /\/\/ @error (TS\d+)/.exec(text);
        return m ? [`fixture:${i + 1} ${m[1]}`] : [];
      });
    return { found: found.sort(), expected: expected.sort() };
}

describe('type-level API checks', () => {
  it('typos in ids, option names, data and metric keys fail to compile; correct code compiles', () => {
    const { found, expected } = diagnose(resolve(__dirname, 'fixtures/typos.ts'));
    expect(expected.length).toBe(14);
    expect(found).toEqual(expected);
  }, 60_000);

  it('History and evaluate keys are inferred from compile (metric ids, instance names, outputs, validation)', () => {
    const { found, expected } = diagnose(resolve(__dirname, 'fixtures/history-keys.ts'));
    expect(expected.length).toBe(13);
    expect(found).toEqual(expected);
  }, 60_000);
});
