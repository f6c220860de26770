import { NeuriteError, ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { CallContext, Layer, Shape } from '../layers/layer.js';
import { Model } from './model.js';
import { SummaryRow } from './summary.js';

/**
 * A plain stack of layers, each feeding the next.
 * @example
 * const model = new Sequential([new Dense(16, { activation: 'relu', inputShape: [30] }), new Dense(1, { activation: 'sigmoid' })]);
 */
export class Sequential extends Model {
  private readonly stack: Layer[] = [];

  constructor(layers: readonly Layer[] = [], options: { name?: string } = {}) {
    super({ name: options.name ?? undefined });
    if (!Array.isArray(layers)) {
      throw new ValueError(`Sequential: expected an array of layers, received ${layers === null ? 'null' : typeof layers}`);
    }
    for (const layer of layers) this.add(layer);
  }

  /** Appends a layer; builds it at once when the input shape is already known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new ValueError(`${this.name}.add: expected a Layer, received ${layer === null ? 'null' : typeof layer}`);
    }
    if (this.stack.includes(layer)) throw new ValueError(`${this.name}.add: layer '${layer.name}' is already in the model`);
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new ValueError(`${this.name}.add: a layer named '${layer.name}' is already in the model; layer names must be unique`);
    }
    if (this.stack.length > 0 && layer.batchInputShape !== null) {
      throw new ValueError(`${this.name}.add: only the first layer may declare an inputShape; '${layer.name}' declares ${JSON.stringify(layer.batchInputShape)}`);
    }
    const shape = this.stack.length === 0 ? layer.batchInputShape : this.outputShapeSoFar();
    if (shape !== null) layer.ensureBuilt(shape);
    this.stack.push(layer);
  }

  /** The layers in order. */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** Runs the layers in order. */
  override call(inputs: Tensor, ctx?: CallContext): Tensor {
    if (this.stack.length === 0) throw new NeuriteError(`${this.name}: the model has no layers; add some before calling it`);
    let x = inputs;
    for (const layer of this.stack) x = layer.apply(x, { training: ctx?.training });
    return x;
  }

  /** Full input shape (batch `null`), from the first layer's declaration or its build; null if unknown. */
  get inputShape(): Shape | null {
    const first = this.stack[0];
    if (first === undefined) return null;
    return first.batchInputShape ?? (first.built ? (first.inputShapeBuilt as Shape) : null);
  }

  /** Output shape of the stack so far, when the input shape is known. */
  private outputShapeSoFar(): Shape | null {
    let shape = this.inputShape;
    if (shape === null) return null;
    for (const layer of this.stack) shape = layer.computeOutputShape(shape) as Shape;
    return shape;
  }

  protected override summaryRows(): SummaryRow[] {
    let shape = this.inputShape;
    return this.stack.map((l) => {
      shape = shape === null ? null : (l.computeOutputShape(shape) as Shape);
      return { name: l.name, className: l.className, outputShape: shape, params: l.built ? l.countParams() : 0 };
    });
  }
}
