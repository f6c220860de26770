import { NeuriteError, ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { baseOptionsFromConfig, LayerConfig } from '../config.js';
import { CallContext, Layer, LayerOptions, LayerWeight, Shape } from '../layer.js';
import { RNNCellBase, SequencePass, StepFn } from './cell-base.js';

/**
 * Cells applied one after the other within each step (Keras's `StackedRNNCells`): cell k+1 reads
 * cell k's output of the same step. The states are all cells' states in order (`[h1, c1, h2, …]`,
 * TF.js's flat order); the output is the last cell's. The first cell's input product is hoisted out
 * of the loop; the others' run per step, as they must. Weights are named `RNNCell_k/…` as TF.js saves them.
 * @example new RNN([new LSTMCell(4), new GRUCell(3)]).apply(zeros([2, 5, 3])).shape; // [2, 3]
 */
export class StackedRNNCells extends RNNCellBase {
  readonly className = 'StackedRNNCells';
  /** The cells, bottom first. */
  readonly cells: readonly RNNCellBase[];

  constructor(cells: RNNCellBase[], options: LayerOptions = {}) {
    checkOptionKeys(options, ['name', 'trainable'], 'StackedRNNCells');
    super(options, 'StackedRNNCells');
    if (!Array.isArray(cells) || cells.length === 0 || cells.some((c) => !(c instanceof RNNCellBase))) {
      throw new ValueError(`${this.describe()}: expected a non-empty array of recurrent cells, received ${Array.isArray(cells) ? cells.map(String).join(', ') : String(cells)}`);
    }
    this.cells = [...cells];
  }

  /** Builds StackedRNNCells from its config (`cells: [{ class_name, config }, …]`). */
  static fromConfig(config: LayerConfig, cellFromConfig: (className: string, config: LayerConfig) => Layer): StackedRNNCells {
    const specs = config.cells as { class_name?: string; config?: LayerConfig }[] | undefined;
    if (!Array.isArray(specs)) throw new NeuriteError(`StackedRNNCells.fromConfig: expected 'cells' to be a list of { class_name, config }, received ${JSON.stringify(specs)}`);
    const cells = specs.map((s) => cellFromConfig(String(s?.class_name), s?.config ?? {}));
    const bad = cells.find((c) => !(c instanceof RNNCellBase));
    if (bad !== undefined) throw new NeuriteError(`StackedRNNCells.fromConfig: '${bad.className}' is not a recurrent cell`);
    const { name, trainable } = baseOptionsFromConfig('StackedRNNCells', config);
    return new StackedRNNCells(cells as RNNCellBase[], { name, trainable });
  }

  get stateSizes(): readonly number[] {
    return this.cells.flatMap((c) => c.stateSizes);
  }

  get outputSize(): number {
    return this.cells[this.cells.length - 1].outputSize;
  }

  get inputFeatures(): number | null {
    return this.cells[0].inputFeatures;
  }

  override build(inputShape: Shape): void {
    let features = inputShape[inputShape.length - 1];
    for (const cell of this.cells) {
      cell.ensureBuilt([inputShape[0], features]);
      features = cell.outputSize;
    }
  }

  protected override sublayers(): Layer[] {
    return [...this.cells];
  }

  /** The cells' weights under `RNNCell_k/`, the names TF.js gives them. */
  override namedWeights(): LayerWeight[] {
    return this.cells.flatMap((c, k) => c.namedWeights().map((w) => ({ ...w, name: `RNNCell_${k}/${w.name}` })));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.outputSize];
  }

  /** Each cell's states are a consecutive run of the flat list. */
  private chain(first: StepFn, batch: number, training: boolean): StepFn {
    const steps = [first];
    for (let k = 1; k < this.cells.length; k++) steps.push(this.cells[k].rawStepper(batch, this.cells[k - 1].outputSize, training));
    const counts = this.cells.map((c) => c.stateSizes.length);
    return (xt, states) => {
      let input = xt;
      let at = 0;
      const next: Tensor[] = [];
      for (let k = 0; k < steps.length; k++) {
        const r = steps[k](input, states.slice(at, at + counts[k]));
        at += counts[k];
        next.push(...r.states);
        input = r.output;
      }
      return { output: input, states: next };
    };
  }

  sequencePass(x: Tensor, training: boolean): SequencePass {
    const first = this.cells[0].sequencePass(x, training);
    return { inputs: first.inputs, step: this.chain(first.step, x.shape[0], training) };
  }

  rawStepper(batch: number, features: number, training: boolean): StepFn {
    return this.chain(this.cells[0].rawStepper(batch, features, training), batch, training);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    return this.rawStepper(x.shape[0], x.shape[1], ctx.training)(x, this.zeroStates(x.shape[0])).output;
  }

  /** TF.js writes the cells list into the RNN's config. */
  cellConfig(): Record<string, unknown> {
    return { cells: this.cells.map((c) => ({ class_name: c.className, config: c.getConfig() })) };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.cellConfig() };
  }
}

