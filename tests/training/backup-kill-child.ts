// The child the BackupAndRestore kill test starts: it trains with backups every 3 batches and SIGKILLs
// itself at batch `argv[3]` (counted from 1 across epochs), mid-epoch, without any cleanup.
import { BackupAndRestore } from '../../src/training/backup-and-restore.js';
import { backupData, backupNet, killFit } from './backup-net.js';

const dir = process.argv[2];
const killAt = Number(process.argv[3]);
let seen = 0;
const m = backupNet(7);
await m.fit(backupData.x, backupData.y, {
  ...killFit,
  callbacks: [new BackupAndRestore(dir, { saveFreq: 3 }), { onBatchEnd: () => void (++seen === killAt && process.kill(process.pid, 'SIGKILL')) }],
});
process.stdout.write('finished without being killed\n');
