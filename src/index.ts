export { NeuriteError, ShapeError, ValueError } from './util/errors.js';
export { setSeed } from './util/random.js';
export { Tensor } from './tensor/tensor.js';
export type { NestedArray } from './tensor/tensor.js';
export { tensor, zeros, ones, fill, randomNormal, randomUniform, variable } from './tensor/creation.js';
export type { TensorLike } from './tensor/creation.js';
export { backward, valueAndGrad, grad } from './autograd/backward.js';
export { noGrad } from './autograd/record.js';
