// Doc-test: every `@example` of the public API (exports, namespace members, class and interface members)
// type-checks against the library (strict), each in its own async function with every export of
// src/index.ts in scope. Names an example leaves to the reader (`model`, `x`, `xTrain` …) are declared
// below with the types the examples mean; an example of a namespace member also sees its namespace's
// members unqualified (`binaryCrossentropy` in losses). `…` in an example stands for elided code.
// The examples added for issue 19 were also run once and their stated results checked; this test keeps
// every example compiling as the API changes.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
// @ts-expect-error: a plain .mjs script without type declarations
import { publicExamples } from '../../scripts/check-docs.mjs';

type Example = { name: string; where: string; code: string; namespace: string | null };
const examplesOf = publicExamples as (entry: string, root?: string) => Example[];

const root = resolve(__dirname, '../..');

/** The free names the examples use, with the types they mean. */
const PREAMBLE = `
declare const model: Sequential, compiled: Sequential, pruned: Sequential, teacher: Sequential, student: Sequential;
declare const x: Tensor, y: Tensor, a: Tensor, b: Tensor, yTrue: Tensor, yPred: Tensor, loss: Tensor, images: Tensor;
declare const xTrain: Tensor, yTrain: Tensor, xTest: Tensor, yTest: Tensor, background: Tensor, shapValues: Tensor;
declare const gamma: Tensor, beta: Tensor, X: number[][], features: number[][], labels: number[], texts: string[];
declare const featureNames: string[], pixels: Uint8Array, history: History, layer: Layer, conv: Conv2D;
declare const optimizer: Optimizer, artifacts: ReturnType<typeof modelToArtifacts>;
`;

/** One module holding every example; returns it and the line where each example starts. */
function program(examples: Example[], names: string[]): { text: string; starts: number[] } {
  const lines = [`import { ${names.join(', ')} } from ${JSON.stringify(join(root, 'src/index.js'))};`, ...PREAMBLE.trim().split('\n')];
  const starts: number[] = [];
  examples.forEach((e, i) => {
    starts.push(lines.length + 1);
    const unqualified = e.namespace === null ? '' : `const { ${e.name.slice(e.namespace.length + 1).split('.')[0]} } = ${e.namespace};`;
    lines.push(`export async function example${i}(): Promise<void> { ${unqualified}`, ...e.code.replaceAll('…', '/* … */').split('\n'), '}');
  });
  return { text: lines.join('\n') + '\n', starts };
}

describe('doc examples', () => {
  it('every @example of the public API compiles against the library', () => {
    const examples = examplesOf(join(root, 'src/index.ts'), root);
    expect(examples.length).toBeGreaterThan(340);
    const entry = ts.createProgram([join(root, 'src/index.ts')], { noEmit: true, skipLibCheck: true, types: [], noLib: true, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext });
    const checker = entry.getTypeChecker();
    const names = checker.getExportsOfModule(checker.getSymbolAtLocation(entry.getSourceFile(join(root, 'src/index.ts'))!)!).map((s) => s.name);
    const dir = mkdtempSync(join(tmpdir(), 'neurite-examples-'));
    try {
      const file = join(dir, 'examples.ts');
      const { text, starts } = program(examples, names);
      writeFileSync(file, text);
      const p = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: ['node'], typeRoots: [join(root, 'node_modules/@types')], skipLibCheck: true });
      const source = p.getSourceFile(file)!;
      const failures = [...p.getSyntacticDiagnostics(source), ...p.getSemanticDiagnostics(source)].map((d) => {
        const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
        let i = starts.length - 1;
        while (i > 0 && starts[i] > line) i--;
        return `${examples[i].where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 200)}`;
      });
      expect(failures).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
