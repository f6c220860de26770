import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { setSeed } from '../../src/util/random.js';
import { BackupAndRestore } from '../../src/training/backup-and-restore.js';
import { backupData, backupNet, killFit } from './backup-net.js';

const root = mkdtempSync(join(tmpdir(), 'neurite-backup-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('BackupAndRestore: a fit killed with SIGKILL mid-epoch, resumed in another process', () => {
  it('equals an uninterrupted run bit for bit (weights, optimizer step, history of the resumed epochs)', async () => {
    const child = join(root, 'child.mjs');
    await build({
      entryPoints: [join(__dirname, 'backup-kill-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: child,
      logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const dir = join(root, 'backup');
    // Killed at batch 11 of 16: the last backup is after batch 9 (epoch 2, 1 batch into it).
    const r = spawnSync(process.execPath, [child, dir, '11'], { encoding: 'utf8', timeout: 60_000 });
    expect([r.signal, r.stdout, r.stderr]).toEqual(['SIGKILL', '', '']);
    expect(existsSync(join(dir, 'backup.json'))).toBe(true);

    const straight = backupNet(7);
    const full = await straight.fit(backupData.x, backupData.y, killFit);
    setSeed(4242);
    const resumed = backupNet(7);
    const restore = new BackupAndRestore(dir, { saveFreq: 3 });
    const rest = await resumed.fit(backupData.x, backupData.y, { ...killFit, callbacks: [restore] });
    expect([restore.resumedAt, restore.resumedAtBatch]).toEqual([2, 1]);
    expect(rest.epoch).toEqual([2, 3]);
    for (const key of Object.keys(full.history)) expect([key, rest.history[key]]).toEqual([key, full.history[key].slice(2)]);
    expect(resumed.getWeights().map((w) => Array.from(w.data))).toEqual(straight.getWeights().map((w) => Array.from(w.data)));
    expect(resumed.optimizer!.iterations).toBe(straight.optimizer!.iterations);
  }, 90_000);
});
