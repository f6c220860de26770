import { StateJson } from './metric-state.js';
import { SourcePosition } from './sources.js';

/**
 * Where a `fit` stands, as plain JSON: everything besides weights and optimizer state that the rest of the
 * run depends on. `batch` counts the batches finished in `epoch` (0: the epoch has not started); then the
 * epoch's running loss sums and metric states continue from `lossSums` / `seen` / `metrics`.
 */
export interface FitPosition {
  epoch: number;
  batch: number;
  /** The fit's random stream now (Dropout, noise and the next shuffles draw from it). */
  random: object;
  /** Where the training data stands (its pass's opening random state and batches read). */
  source: SourcePosition;
  lossSums: number[];
  seen: number;
  metrics: StateJson;
}

/** What `fit` lets a callback see and steer of its loop (BackupAndRestore): its position, and a resume point. */
export interface FitLoop {
  /** The position after the last finished batch (or epoch). */
  position(): FitPosition;
  /** Called in `onTrainBegin`: the run starts at `p` instead (weights and optimizer are the caller's to restore). */
  resumeAt(p: FitPosition): void;
}
