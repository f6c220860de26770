import { NeuriteError } from '../../util/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { Layer } from '../layer.js';

/**
 * Base of the layers whose input is strings (Tensors here hold float32 only): they are used eagerly
 * through their own method (`vectorize`, `lookup`), and `call` on a Tensor says so.
 */
export abstract class StringInputLayer extends Layer {
  /** The method that takes the strings, named in the error `call` raises. */
  protected abstract readonly stringMethod: string;

  call(x: Tensor | Tensor[]): Tensor {
    void x;
    throw new NeuriteError(`${this.describe()}: takes strings, not Tensors (which hold float32 only); call ${this.stringMethod} on string arrays instead`);
  }

  /** No shape rule: the layer never runs on Tensors. */
  protected override checkInputShape(): void {}
}
