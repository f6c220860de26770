// Learning-rate schedules (Keras `keras.optimizers.schedules`): the `schedules` namespace.
export { LearningRateSchedule } from './schedule.js';
export type { SerializedSchedule, ScheduleConfig } from './schedule.js';
export { ExponentialDecay, InverseTimeDecay, PolynomialDecay, PiecewiseConstantDecay } from './decays.js';
export type { StaircaseOptions, PolynomialDecayOptions, PiecewiseConstantDecayOptions } from './decays.js';
export { CosineDecay, CosineDecayRestarts } from './cosine.js';
export type { CosineDecayOptions, CosineDecayRestartsOptions } from './cosine.js';
export { scheduleFromConfig } from './from-config.js';
