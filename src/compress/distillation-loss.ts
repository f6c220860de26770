import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { clip, div, log, mean, mul, square, sub, sum } from '../ops/index.js';
import { softmax } from '../ops/softmax.js';

/** How the student is pulled towards the teacher (Keras 3's `keras.distillation.DistillationLoss`). */
export interface DistillationLoss {
  /** Which layer of the teacher / student feeds the loss; null for the model outputs. */
  readonly teacherLayer: string | null;
  readonly studentLayer: string | null;
  /** A scalar loss from the teacher's (constant) and the student's (differentiable) outputs. */
  computeLoss(teacher: Tensor, student: Tensor): Tensor;
}

/** Keras's clip for KL divergence: probabilities into [1e-7, 1] before the log. */
const KL_EPSILON = 1e-7;

function checkSameShape(teacher: Tensor, student: Tensor, what: string): void {
  if (!shapesEqual(teacher.shape, student.shape)) {
    throw new ShapeError(`${what}: the teacher's output has shape ${formatShape(teacher.shape)} but the student's has ${formatShape(student.shape)}; they must match`);
  }
}

/**
 * Hinton's logits distillation, as Keras 3's `LogitsDistillation` with its default KL divergence:
 * p = softmax(teacher / T), q = softmax(student / T) over the last axis, loss = T² · mean over samples
 * of Σ p·log(p / q) (both clipped to [1e-7, 1]). The models should output logits.
 * @example logitsDistillation({ temperature: 3 })
 */
export function logitsDistillation(options: { temperature?: number } = {}): DistillationLoss {
  checkOptionKeys(options, ['temperature'], 'logitsDistillation');
  const temperature = options.temperature ?? 3;
  if (typeof temperature !== 'number' || !(temperature > 0) || !Number.isFinite(temperature)) {
    throw new ValueError(`logitsDistillation: expected a positive temperature, received ${JSON.stringify(temperature)}`);
  }
  return {
    teacherLayer: null,
    studentLayer: null,
    computeLoss(teacher: Tensor, student: Tensor): Tensor {
      checkSameShape(teacher, student, 'logitsDistillation');
      const p = clip(softmax(div(teacher, temperature)), KL_EPSILON, 1);
      const q = clip(softmax(div(student, temperature)), KL_EPSILON, 1);
      const kl = sum(mul(p, sub(log(p), log(q))), -1);
      return mul(mean(kl), temperature * temperature);
    },
  };
}

/**
 * Feature distillation, as Keras 3's `FeatureDistillation` with its default mean squared error:
 * the mean of (teacher − student)² over the outputs of `teacherLayer` and `studentLayer` (layer
 * names; the model outputs when omitted), whose shapes must match.
 * @example featureDistillation({ teacherLayer: 'dense_1', studentLayer: 'dense_4' })
 */
export function featureDistillation(options: { teacherLayer?: string; studentLayer?: string } = {}): DistillationLoss {
  checkOptionKeys(options, ['teacherLayer', 'studentLayer'], 'featureDistillation');
  for (const key of ['teacherLayer', 'studentLayer'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new ValueError(`featureDistillation: expected ${key} to be a layer name, received ${JSON.stringify(v)}`);
  }
  return {
    teacherLayer: options.teacherLayer ?? null,
    studentLayer: options.studentLayer ?? null,
    computeLoss(teacher: Tensor, student: Tensor): Tensor {
      checkSameShape(teacher, student, 'featureDistillation');
      return mean(square(sub(student, teacher)));
    },
  };
}
