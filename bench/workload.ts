/** Who runs a workload: neurite (optionally one kernel path), a TF.js backend, or PyTorch on one thread (bench/torch.ts). */
export type Contender = 'neurite' | 'neurite-js' | 'neurite-simd' | 'neurite-threads' | 'neurite-int8' | 'tfjs-cpu' | 'tfjs-wasm' | 'pytorch';

/** One benchmark: a measurement per contender, in `unit`. */
export interface Workload {
  id: string;
  title: string;
  unit: string;
  /** True for throughputs (GFLOPS, samples/s), false for times. */
  higherIsBetter: boolean;
  /** Prepares inputs once; returns the runners. A runner returns one measurement. */
  setup(): Promise<Partial<Record<Contender, () => Promise<number>>>>;
}
