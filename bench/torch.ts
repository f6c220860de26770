/**
 * PyTorch as a peer: bench/torch_peer.py in a child process, one JSON request per line on its stdin and
 * one reply per line on its stdout (the protocol is documented in that script). Found where a Python
 * can import torch and numpy: $NEURITE_PYTHON, else `python3`, else /usr/bin/python3 (Debian's, when a
 * pyenv or venv python3 comes first on PATH). Missing, the bench says how to install it and runs without.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** How to get the peer, printed when no Python can import torch. */
export const TORCH_HOWTO =
  'PyTorch peer skipped: no python3 here can import torch and numpy. On Debian/Ubuntu: ' +
  'apt-get install python3-torch python3-numpy libopenblas0-pthread (or pip install torch numpy), ' +
  'or point NEURITE_PYTHON at a python that has them.';

/** One request of the protocol; `x` / `y` are Float32Arrays here and become files for the child. */
export type TorchRequest = Record<string, unknown> & { kind: string };

class TorchPeer {
  private readonly pending: ((line: string) => void)[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'neurite-torch-'));
  private files = 0;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.pending.shift()?.(line));
    child.stderr.on('data', (d: Buffer) => process.stderr.write(`    [pytorch] ${d}`));
    child.on('exit', () => {
      for (const p of this.pending.splice(0)) p(JSON.stringify({ error: 'the PyTorch process exited' }));
    });
  }

  /** Sends one request (arrays written to temporary files) and resolves with its value; rejects on an error reply. */
  async request(req: TorchRequest): Promise<unknown> {
    const wire: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(req)) wire[key] = v instanceof Float32Array ? this.file(v) : v;
    const line = await new Promise<string>((resolve) => {
      this.pending.push(resolve);
      this.child.stdin.write(`${JSON.stringify(wire)}\n`);
    });
    const reply = JSON.parse(line) as { value?: unknown; error?: string };
    if (reply.error !== undefined) throw new Error(`PyTorch: ${reply.error}`);
    return reply.value;
  }

  /** Ends the child and removes the temporary files. */
  close(): void {
    this.child.stdin.end();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private file(x: Float32Array): string {
    const path = join(this.dir, `a${this.files++}.f32`);
    writeFileSync(path, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    return path;
  }
}

let peer: TorchPeer | null | undefined;

/** The Python that can import torch, or null. */
export function findTorchPython(): string | null {
  const candidates = [process.env.NEURITE_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return python;
  }
  return null;
}

/** The running peer (started on first use), or null when PyTorch is missing or disabled with --no-torch. */
export function torchPeer(): TorchPeer | null {
  if (peer !== undefined) return peer;
  const python = process.argv.includes('--no-torch') ? null : findTorchPython();
  if (python === null) {
    if (!process.argv.includes('--no-torch')) console.log(TORCH_HOWTO);
    return (peer = null);
  }
  // One BLAS thread: torch.set_num_threads(1) does not bound OpenBLAS's pthread pool (torch_peer.py sets
  // these too, before importing torch; the environment here covers a python that imports it earlier).
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const child = spawn(python, [join(here, 'torch_peer.py')], { stdio: ['pipe', 'pipe', 'pipe'], env });
  peer = new TorchPeer(child);
  return peer;
}

/** A workload runner for PyTorch: the request's value, NaN when it failed (the row prints n/a). */
export function torchRunner(req: TorchRequest): (() => Promise<number>) | undefined {
  const p = torchPeer();
  if (p === null) return undefined;
  return async () => {
    try {
      return Number(await p.request(req));
    } catch (e) {
      process.stderr.write(`    ${(e as Error).message}\n`);
      return NaN;
    }
  };
}

/** Stops the peer if it was started. */
export function closeTorch(): void {
  peer?.close();
  peer = null;
}
