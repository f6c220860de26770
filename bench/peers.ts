import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type TF = typeof tf;
export type PeerName = 'tfjs-cpu' | 'tfjs-wasm';

let wasmReady: boolean | null = null;

// TF.js's cpu backend warns on first use that tfjs-node would be faster; keep the benchmark output clean.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('install our node backend')) return;
  warn(...args);
};

/** Switches TF.js to a backend; returns false when it cannot run here (the wasm backend may be missing). */
export async function usePeer(name: PeerName): Promise<boolean> {
  const log = console.log;
  const warn = console.warn;
  console.log = () => {}; // TF.js prints an install-tfjs-node banner once
  console.warn = () => {};
  try {
    if (name === 'tfjs-cpu') return await tf.setBackend('cpu');
    if (wasmReady === false) return false;
    if (wasmReady === null) {
      try {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        const require = createRequire(import.meta.url);
        wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
        wasmReady = true;
      } catch {
        wasmReady = false;
        return false;
      }
    }
    return await tf.setBackend('wasm');
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

export { tf };
