// A user's `npm install git+file://…` of this repository, in a fresh app: npm clones it, runs `prepare`
// (which builds dist/), packs it, and the app imports it as ESM and requires it as CommonJS.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const tools = has('git') && has('npm');

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A one-commit repository holding the work tree as it is now (tracked and new files, not ignored ones). */
function snapshotRepo(dest: string): void {
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter(Boolean);
  mkdirSync(dest, { recursive: true });
  for (const f of files) {
    if (!existsSync(join(root, f)) || f === 'node_modules') continue;
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    copyFileSync(join(root, f), join(dest, f));
  }
  const git = ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false'];
  run('git', ['init', '-q'], dest);
  run('git', ['add', '-A'], dest);
  run('git', [...git, 'commit', '-q', '-m', 'snapshot'], dest);
}

const esm = `import { tensor, ops, Sequential, Dense } from 'neurite';
const y = ops.add(tensor([1, 2]), tensor([3, 4]));
const m = new Sequential([new Dense(2, { inputShape: [3] })]);
console.log(JSON.stringify({ y: Array.from(y.data), params: m.countParams() }));
`;
const cjs = `const { tensor, ops } = require('neurite');
const y = ops.matmul(tensor([[1, 2]]), tensor([[3], [4]]));
console.log(JSON.stringify({ y: Array.from(y.data) }));
`;

// Both builds in one app (an ESM app whose dependency requires the CJS build): a tensor from one copy is
// accepted by a model of the other.
const mixed = `import { createRequire } from 'node:module';
import { tensor, Tensor } from 'neurite';
const cjs = createRequire(import.meta.url)('neurite');
const model = new cjs.Sequential([new cjs.Dense(1, { inputShape: [2], kernelInitializer: 'ones' })]);
const y = model.predict(tensor([[1, 2]]));
console.log(JSON.stringify({ distinct: cjs.Tensor !== Tensor, y: Array.from(y.data), recognised: y instanceof Tensor }));
`;

// The installed declarations, as a TypeScript user compiles against them (strict, noUncheckedIndexedAccess,
// Node's own resolution): History keys typed from compile, a misspelt id rejected, both module kinds.
const typedEsm = `import { Sequential, Dense } from 'neurite';
const model = new Sequential([new Dense(1, { activation: 'sigmoid', inputShape: [2] })]);
const compiled = model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
export async function run(): Promise<number[]> {
  const h = await compiled.fit([[0, 1], [1, 0]], [1, 0], { validationSplit: 0.5, verbose: 0 });
  const loss: number[] = h.history.loss;
  return [...loss, ...h.history.val_accuracy];
}
// @ts-expect-error a misspelt loss id
model.compile({ optimizer: 'adam', loss: 'binary_crossentropi' });
`;
const typedCjs = `import neurite = require('neurite');
const t: neurite.Tensor = neurite.tensor([1, 2]);
export const shape: readonly number[] = t.shape;
`;

describe.skipIf(!tools)('install from git', () => {
  it('npm install git+file:// builds dist through prepare; the app imports it as ESM and CJS, mixes both, and type-checks', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'neurite-git-'));
    try {
      snapshotRepo(join(tmp, 'neurite'));
      const app = join(tmp, 'app');
      mkdirSync(app);
      const pkg = { name: 'app', version: '1.0.0', private: true, dependencies: { neurite: `git+file://${join(tmp, 'neurite')}` } };
      writeFileSync(join(app, 'package.json'), JSON.stringify(pkg));
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
      expect(existsSync(join(app, 'node_modules/neurite/dist/index.js'))).toBe(true);
      writeFileSync(join(app, 'esm.mjs'), esm);
      writeFileSync(join(app, 'cjs.cjs'), cjs);
      expect(JSON.parse(run(process.execPath, ['esm.mjs'], app))).toEqual({ y: [4, 6], params: 8 });
      expect(JSON.parse(run(process.execPath, ['cjs.cjs'], app))).toEqual({ y: [11] });
      writeFileSync(join(app, 'mixed.mjs'), mixed);
      expect(JSON.parse(run(process.execPath, ['mixed.mjs'], app))).toEqual({ distinct: true, y: [3], recognised: true });
      writeFileSync(join(app, 'typed.mts'), typedEsm);
      writeFileSync(join(app, 'typed.cts'), typedCjs);
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      const flags = ['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--typeRoots', join(root, 'node_modules/@types'), '--types', 'node'];
      const typed = spawnSync(process.execPath, [tsc, ...flags, 'typed.mts', 'typed.cts'], { cwd: app, encoding: 'utf8' });
      expect(typed.stdout + typed.stderr).toBe('');
      expect(typed.status).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 300_000);
});
