// Two models of different architectures with fixed weights, shared by the crash harness and the
// child process it kills, so both sides know exactly what a saved folder may hold.
import { Sequential } from '../../src/models/sequential.js';
import type { Model } from '../../src/models/model.js';
import type { SymbolicStructure } from '../../src/models/structure.js';
import { Dense } from '../../src/layers/dense.js';
import { Tensor } from '../../src/tensor/tensor.js';

function fixedWeights(model: Sequential, offset: number): Sequential {
  model.setWeights(model.getWeights().map((w, i) => new Tensor(Float32Array.from({ length: w.size }, (_, j) => Math.sin(offset + 7 * i + j)), w.shape)));
  return model;
}

/** Model A: one Dense layer, 3 → 2. */
export function modelA(): Sequential {
  return fixedWeights(new Sequential([new Dense(2, { inputShape: [3], name: 'a' })]), 1);
}

/** Model B: two Dense layers, 3 → 64 → 5 (larger, so a save takes several writes' worth of time). */
export function modelB(): Sequential {
  return fixedWeights(new Sequential([new Dense(64, { inputShape: [3], name: 'b1', activation: 'relu' }), new Dense(5, { name: 'b2' })]), 2);
}

/** 'A' or 'B' when `model` holds exactly one of the two, else null. */
export function whichModel(model: Model<SymbolicStructure>): 'A' | 'B' | null {
  const got = model.getWeights().map((w) => [w.shape.join('x'), Array.from(w.data)]);
  for (const [name, make] of [['A', modelA], ['B', modelB]] as const) {
    const want = make().getWeights().map((w) => [w.shape.join('x'), Array.from(w.data)]);
    if (JSON.stringify(got) === JSON.stringify(want)) return name;
  }
  return null;
}
