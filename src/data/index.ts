// The data module: datasets (lazy async iterables of elements) and their sources.
export { Dataset } from './dataset.js';
export type { IteratorFactory } from './dataset.js';
export { fromArrays, generator } from './from-arrays.js';
export type { ArrayStructure, SampleElement } from './from-arrays.js';
export { csv } from './csv.js';
export type { CsvBatch, CsvOptions } from './csv.js';
