// neurite/explain: why did the model say that? Attributions, activations, Grad-CAM, model-agnostic importances.
export { saliency, gradientTimesInput, smoothGrad } from './gradients.js';
export type { SaliencyOptions, SmoothGradOptions } from './gradients.js';
export { integratedGradients } from './integrated-gradients.js';
export type { IntegratedGradientsOptions, IntegratedGradientsResult } from './integrated-gradients.js';
export type { IntegrationMethod } from './quadrature.js';
export type { Target, Forwardable } from './target.js';
export { activations } from './activations.js';
export { withLayerHook } from './hook.js';
export type { LayerHook } from './hook.js';
export { gradCam } from './grad-cam.js';
export type { GradCamOptions } from './grad-cam.js';
export { permutationImportance } from './permutation-importance.js';
export type { PermutationImportanceOptions, PermutationImportanceResult, ImportanceMetric } from './permutation-importance.js';
export { kernelShap } from './kernel-shap.js';
export type { KernelShapOptions, KernelShapResult } from './kernel-shap.js';
export { exactShapley } from './exact-shapley.js';
export type { ExactShapleyOptions } from './exact-shapley.js';
