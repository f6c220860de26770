// The public types reject typos: tsc (strict, noUncheckedIndexedAccess, as `tsc --init` now sets) must
// report exactly the errors marked in fixtures/typos.ts, line by line, and nothing else.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

const fixture = resolve(__dirname, 'fixtures/typos.ts');

describe('type-level API checks', () => {
  it('typos in ids, option names, data and metric keys fail to compile; correct code compiles', () => {
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
    expect(expected.length).toBe(14);
    expect(found.sort()).toEqual(expected.sort());
  }, 60_000);
});
