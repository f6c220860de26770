import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

// The import table of DESIGN.md: each folder of src/ and the folders it may import from.
const ALLOWED: Record<string, string[]> = {
  util: [],
  kernels: ['util'],
  tensor: ['util', 'kernels'],
  autograd: ['tensor', 'kernels', 'util'],
  ops: ['autograd', 'tensor', 'kernels', 'util'],
  initializers: ['ops', 'tensor', 'util'],
  activations: ['ops', 'tensor', 'util'],
  losses: ['ops', 'tensor', 'util'],
  layers: ['initializers', 'activations', 'losses', 'ops', 'tensor', 'util', 'autograd'],
  optimizers: ['tensor', 'kernels', 'util'],
  training: ['tensor', 'autograd', 'ops', 'losses', 'optimizers', 'util'],
  models: ['layers', 'initializers', 'activations', 'losses', 'ops', 'tensor', 'util', 'autograd', 'kernels', 'optimizers', 'training', 'io'],
  io: ['tensor', 'util'],
  compress: ['util', 'kernels', 'tensor', 'autograd', 'ops', 'initializers', 'activations', 'losses', 'layers', 'optimizers', 'training', 'models', 'io', 'graph', 'data'],
};

const SRC = resolve(__dirname, '..', 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function folderOf(file: string): string {
  return relative(SRC, file).split(sep)[0];
}

describe('architecture', () => {
  it('src/ imports only flow down the table of DESIGN.md', () => {
    const violations: string[] = [];
    for (const file of walk(SRC)) {
      const from = folderOf(file);
      if (from === 'index.ts') continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2];
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (target === join(SRC, 'index.js') || target === join(SRC, 'index.ts')) {
          violations.push(`${relative(SRC, file)} imports src/index (nothing may)`);
          continue;
        }
        const to = folderOf(target);
        if (to === from) continue;
        if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${relative(SRC, file)} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('every folder of src/ is in the table', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it('no Math.random in src/', () => {
    const hits = walk(SRC).filter((f) => /Math\.random/.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });
});
