import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { add, mul } from '../ops/arithmetic.js';
import { CallContext, Layer, Shape } from '../layers/layer.js';
import { CustomLoss, getLoss, LossName } from '../losses/registry.js';
import { Loss } from '../losses/loss.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { CompileArgs } from '../training/compile.js';
import type { MetricKeys, WithMetricNames } from '../training/history-keys.js';
import { DistillationLoss } from './distillation-loss.js';

/** Options of `Distiller`, as Keras 3.12's `keras.distillation.Distiller` (camelCase). */
export interface DistillerOptions {
  /** A trained model; frozen (it runs without gradients and the optimizer never sees it). */
  teacher: Model;
  /** The model to train. */
  student: Model;
  /** One distillation loss or several (`logitsDistillation`, `featureDistillation`). */
  distillationLoss: DistillationLoss | DistillationLoss[];
  /** A weight per distillation loss (default 1 each). */
  distillationLossWeights?: number[];
  /** Weight of the student's supervised loss in [0, 1] (default 0.5); the distillation losses get 1 − it. */
  studentLossWeight?: number;
  name?: string;
}

/** The parts of the last training step's loss (Keras logs them as student_loss, distillation_loss, total_loss). */
export interface DistillationLosses {
  student: number;
  distillation: number;
  total: number;
}

interface Step {
  yPred: Tensor;
  teacher: Map<string | null, Tensor>;
  student: Map<string | null, Tensor>;
}

/** The output shape of a Sequential model (batch null), or null when it cannot be known without data. */
function outputShapeOf(model: Model): Shape | null {
  if (!(model instanceof Sequential) || model.inputShape === null) return null;
  let shape: Shape = model.inputShape;
  for (const l of model.layers) shape = l.computeOutputShape(shape) as Shape;
  return shape;
}

/**
 * Knowledge distillation as Keras 3.12's `Distiller`: a model whose `call` is the student's and whose
 * loss is `w · studentLoss(y, student(x)) + (1 − w) · Σ_i weight_i · distillation_i(teacher, student)`,
 * the teacher run without gradients on the same batch. `compile({ optimizer, loss, metrics })` takes the
 * student's loss; `fit` / `evaluate` / `predict` work as for any model; train only the student.
 * @example
 * const d = new Distiller({ teacher, student, distillationLoss: logitsDistillation({ temperature: 3 }), studentLossWeight: 0.1 });
 * d.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' }); await d.fit(x, y, { epochs: 5 });
 */
export class Distiller extends Model {
  readonly teacher: Model;
  readonly student: Model;
  readonly distillationLosses: readonly DistillationLoss[];
  readonly distillationLossWeights: readonly number[];
  readonly studentLossWeight: number;
  /** The parts of the most recent loss computed by fit / evaluate, or null. */
  lastLosses: DistillationLosses | null = null;
  private step: Step | null = null;

  constructor(options: DistillerOptions) {
    checkOptionKeys(options, ['teacher', 'student', 'distillationLoss', 'distillationLossWeights', 'studentLossWeight', 'name'], 'Distiller');
    if (options === undefined || options === null) throw new ValueError('Distiller: expected options { teacher, student, distillationLoss }');
    super({ name: options.name ?? 'distiller' });
    const { teacher, student, distillationLoss, studentLossWeight = 0.5 } = options;
    if (!(teacher instanceof Model) || !(student instanceof Model)) throw new ValueError('Distiller: teacher and student must be neurite Models');
    if (teacher === student) throw new ValueError('Distiller: the teacher and the student must be different models');
    if (typeof studentLossWeight !== 'number' || !(studentLossWeight >= 0 && studentLossWeight <= 1)) {
      throw new ValueError(`Distiller: expected studentLossWeight in [0, 1], received ${JSON.stringify(studentLossWeight)}`);
    }
    const losses = Array.isArray(distillationLoss) ? distillationLoss : [distillationLoss];
    if (losses.length === 0 || losses.some((l) => typeof l?.computeLoss !== 'function')) {
      throw new ValueError('Distiller: distillationLoss must be logitsDistillation(…), featureDistillation(…) or an array of them');
    }
    const weights = options.distillationLossWeights ?? losses.map(() => 1);
    if (weights.length !== losses.length || weights.some((w) => typeof w !== 'number' || !Number.isFinite(w))) {
      throw new ValueError(`Distiller: expected ${losses.length} finite distillationLossWeights, received ${JSON.stringify(weights)}`);
    }
    this.teacher = teacher;
    this.student = student;
    this.distillationLosses = losses;
    this.distillationLossWeights = weights;
    this.studentLossWeight = studentLossWeight;
    this.checkCompatible();
  }

  /** Output shapes must agree for logits losses; named layers must exist (Sequential models) with matching output shapes. */
  private checkCompatible(): void {
    for (const loss of this.distillationLosses) {
      const t = this.featureShape(this.teacher, loss.teacherLayer, 'teacher');
      const s = this.featureShape(this.student, loss.studentLayer, 'student');
      if (t !== null && s !== null && (t.length !== s.length || t.some((d, i) => d !== null && s[i] !== null && d !== s[i]))) {
        const what = loss.teacherLayer === null && loss.studentLayer === null ? 'outputs' : `layers '${loss.teacherLayer ?? 'output'}' / '${loss.studentLayer ?? 'output'}'`;
        throw new ShapeError(`Distiller: the teacher's ${what} have shape ${formatShape(t)} but the student's have ${formatShape(s)}; they must match`);
      }
    }
  }

  private featureShape(model: Model, layer: string | null, role: string): Shape | null {
    if (layer === null) return outputShapeOf(model);
    if (!(model instanceof Sequential)) throw new NeuriteError(`Distiller: feature distillation from a named layer needs a Sequential ${role}; '${model.name}' is a ${model.constructor.name}`);
    const found = model.layers.find((l) => l.name === layer);
    if (found === undefined) throw new ValueError(`Distiller: the ${role} '${model.name}' has no layer named '${layer}'; its layers are ${model.layers.map((l) => `'${l.name}'`).join(', ')}`);
    return found.outputShape as Shape | null;
  }

  /** The student's layers: only they train. */
  override get layers(): Layer[] {
    return this.student.layers;
  }

  /** The student's forward pass; during fit / evaluate it also runs the teacher (no gradients) for the loss. */
  override forward(xs: Tensor[], training: boolean): Tensor[] {
    const x = xs[0];
    const student = this.run(this.student, x, training, 'student');
    const teacher = noGrad(() => this.run(this.teacher, x, false, 'teacher'));
    const yPred = student.get(null)!;
    this.step = { yPred, teacher, student };
    return [yPred];
  }

  override call(inputs: Tensor, ctx?: CallContext): Tensor {
    return this.student.forward([inputs], ctx?.training ?? false)[0];
  }

  /** The outputs of `model` on x: the final one under null, and every layer a loss names. */
  private run(model: Model, x: Tensor, training: boolean, role: 'teacher' | 'student'): Map<string | null, Tensor> {
    const names = new Set(this.distillationLosses.map((l) => (role === 'teacher' ? l.teacherLayer : l.studentLayer)).filter((n): n is string => n !== null));
    const out = new Map<string | null, Tensor>();
    if (names.size === 0) {
      out.set(null, model.forward([x], training)[0]);
      return out;
    }
    let h = x;
    for (const l of model.layers) {
      h = l.apply(h, { training });
      if (names.has(l.name)) out.set(l.name, h);
    }
    out.set(null, h);
    return out;
  }

  /**
   * Chooses the optimizer, the student's supervised loss and metrics; the distiller's loss combines
   * it with the distillation losses.
   */
  override compile<const A extends CompileArgs>(args: A): this & WithMetricNames<MetricKeys<A>> {
    if (args === null || typeof args !== 'object' || args.loss === undefined) throw new ValueError("Distiller.compile: expected { optimizer, loss, metrics? } with the student's loss");
    if (typeof args.loss === 'object' && !(args.loss instanceof Loss)) throw new ValueError('Distiller.compile: expected one loss for the student (its model has one output)');
    const studentLoss = getLoss(args.loss as LossName | Loss | CustomLoss);
    const distillerLoss = (yTrue: Tensor, yPred: Tensor): Tensor => this.combinedLoss(studentLoss.fn(yTrue, yPred), yPred);
    super.compile({ ...args, loss: distillerLoss });
    return this;
  }

  private combinedLoss(studentLoss: Tensor, yPred: Tensor): Tensor {
    const step = this.step;
    if (step === null || step.yPred !== yPred) throw new NeuriteError("Distiller: the loss was computed on outputs the distiller's forward did not produce");
    let distillation: Tensor | null = null;
    this.distillationLosses.forEach((loss, i) => {
      const value = mul(loss.computeLoss(step.teacher.get(loss.teacherLayer)!, step.student.get(loss.studentLayer)!), this.distillationLossWeights[i]);
      distillation = distillation === null ? value : add(distillation, value);
    });
    const w = this.studentLossWeight;
    const total = add(mul(studentLoss, w), mul(distillation!, 1 - w));
    this.lastLosses = { student: studentLoss.data[0], distillation: (distillation as unknown as Tensor).data[0], total: total.data[0] };
    return total;
  }
}
