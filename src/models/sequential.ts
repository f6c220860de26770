import { NeuriteError, ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { CallContext, Layer, Mask, Shape, Shapes } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { Model } from './model.js';
import { FunctionalGraph } from './functional.js';
import { SummaryRow } from './summary.js';

/**
 * A plain stack of layers, each feeding the next. Once its input shape is known it also has a graph
 * (`model.inputs`, `layer.output`), so a model on any intermediate output can be made from it.
 * @example
 * const model = new Sequential([new Dense(16, { activation: 'relu', inputShape: [30] }), new Dense(1, { activation: 'sigmoid' })]);
 */
export class Sequential extends Model {
  private readonly stack: Layer[] = [];
  /** The symbolic graph over the stack, made on first use of `inputs` / `outputs` / `layer.output`. */
  private stackGraph: FunctionalGraph | null = null;

  constructor(layers: readonly Layer[] = [], options: { name?: string } = {}) {
    super({ name: options?.name ?? undefined });
    if (!Array.isArray(layers)) {
      throw new ValueError(`Sequential: expected an array of layers, received ${layers === null ? 'null' : typeof layers}`);
    }
    for (const layer of layers) this.add(layer);
  }

  /** Always `'Sequential'`, as files name it (also for subclasses). */
  override get className(): string {
    return 'Sequential';
  }

  /** Appends a layer; builds it at once when the input shape is already known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new ValueError(`${this.name}.add: expected a Layer, received ${layer === null ? 'null' : typeof layer}`);
    }
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0) throw new ValueError(`${this.name}.add: an InputLayer may only come first`);
      throw new ValueError(`${this.name}.add: give the first layer an inputShape instead of adding an InputLayer`);
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
    this.dropGraph();
    this.stack.push(layer);
  }

  /** Removes the last layer (Keras's `pop`). */
  pop(): Layer {
    const layer = this.stack[this.stack.length - 1];
    if (layer === undefined) throw new ValueError(`${this.name}.pop: the model has no layers`);
    this.dropGraph();
    this.stack.pop();
    return layer;
  }

  /** The layers in order. */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** Runs the layers in order, passing each layer's output mask to the next (Embedding → LSTM …). */
  override call(inputs: Tensor, ctx?: CallContext): Tensor {
    if (this.stack.length === 0) throw new NeuriteError(`${this.name}: the model has no layers; add some before calling it`);
    let x = inputs;
    let mask: Mask = ctx?.mask instanceof Tensor ? ctx.mask : null;
    for (const layer of this.stack) {
      const y = layer.apply(x, mask === null ? { training: ctx?.training } : { training: ctx?.training, mask });
      const next = layer.computeMask(x, mask === null ? undefined : mask);
      mask = next instanceof Tensor ? next : null;
      x = y;
    }
    this.outputMasks = [mask];
    return x;
  }

  override runModel(xs: readonly Tensor[], training: boolean): Tensor[] {
    if (xs.length !== 1) throw new ValueError(`${this.name}: a Sequential model has one input, received ${xs.length}`);
    return super.runModel(xs, training);
  }

  /** Full input shape (batch `null`), from the first layer's declaration or its build; null if unknown. */
  get inputShape(): Shape | null {
    const first = this.stack[0];
    if (first === undefined) return null;
    return first.batchInputShape ?? (first.built ? (first.inputShapeBuilt as Shape) : null);
  }

  override get inputs(): SymbolicTensor[] {
    return [...this.ensureGraph('inputs').plan.inputs];
  }

  override get outputs(): SymbolicTensor[] {
    return [...this.ensureGraph('outputs').plan.outputs];
  }

  /** As Keras and TF.js name a Sequential's input: `<first layer>_input`. */
  override get inputNames(): string[] {
    return [`${this.stack[0]?.name ?? this.name}_input`];
  }

  override get outputNames(): string[] {
    return [this.stack[this.stack.length - 1]?.name ?? 'output_1'];
  }

  /** A layer by name or index; builds the graph first so `getLayer(…).output` works. */
  override getLayer(nameOrIndex: string | number): Layer {
    if (this.inputShape !== null && this.stack.length > 0) this.ensureGraph('getLayer');
    return super.getLayer(nameOrIndex);
  }

  /** The graph over the stack, from an Input of the known input shape. */
  private ensureGraph(what: string): FunctionalGraph {
    if (this.stackGraph !== null) return this.stackGraph;
    const shape = this.inputShape;
    if (shape === null || this.stack.length === 0) {
      throw new ValueError(`${this.name}.${what}: the input shape is unknown; give the first layer an inputShape (or call the model on data) first`);
    }
    const input = new InputLayer({ batchShape: [null, ...shape.slice(1)], name: this.inputNames[0] }).symbolic;
    let x: SymbolicTensor = input;
    for (const layer of this.stack) x = layer.apply(x);
    this.stackGraph = new FunctionalGraph(input, x, this.name);
    return this.stackGraph;
  }

  /** Forgets the graph (the stack changed) and the nodes it left on the layers. */
  private dropGraph(): void {
    const graph = this.stackGraph;
    if (graph === null) return;
    const nodes = new Set(graph.plan.nodes);
    for (const layer of this.stack) {
      const kept = layer.inboundNodes.filter((n) => !nodes.has(n));
      layer.inboundNodes.splice(0, layer.inboundNodes.length, ...kept);
    }
    this.stackGraph = null;
  }

  override computeOutputShape(inputShape: Shapes): Shape {
    let shape = inputShape as Shape;
    for (const layer of this.stack) shape = layer.computeOutputShape(shape) as Shape;
    return shape;
  }

  /** Output shape of the stack so far, when the input shape is known. */
  private outputShapeSoFar(): Shape | null {
    const shape = this.inputShape;
    return shape === null ? null : this.computeOutputShape(shape);
  }

  /**
   * Keras's Sequential config: the name and the layers, the first carrying `batch_input_shape` (from
   * the shape it was built for when none was declared), which TF.js needs to rebuild the model.
   */
  override getConfig(): Record<string, unknown> {
    const layers = this.stack.map((l) => ({ class_name: l.className, config: l.getConfig() }));
    const shape = this.inputShape;
    if (layers.length > 0 && layers[0].config.batch_input_shape === undefined) {
      if (shape === null) throw new NeuriteError(`save: the input shape of model '${this.name}' is unknown; call it on data or give the first layer an inputShape`);
      layers[0].config = { ...layers[0].config, batch_input_shape: [null, ...shape.slice(1)], dtype: 'float32' };
    }
    return { name: this.name, layers };
  }

  protected override summaryRows(): SummaryRow[] {
    let shape = this.inputShape;
    return this.stack.map((l) => {
      shape = shape === null ? null : (l.computeOutputShape(shape) as Shape);
      return { name: l.name, className: l.className, outputShape: shape, params: l.built ? l.countParams() : 0, built: l.built };
    });
  }
}
