/**
 * The part of the WebAssembly JavaScript API the kernels use, typed here because the project's
 * TypeScript libraries (ES2022 + Node, no DOM) do not declare the `WebAssembly` global.
 */

/** A compiled module; it can be sent to worker threads and instantiated there. */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A linear memory; `buffer` is a SharedArrayBuffer when the memory is shared. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Adds `pages` 64 KiB pages; throws a RangeError past the maximum. Old views keep their old length. */
  grow(pages: number): number;
}

/** An instance's exports, looked up by name. */
export type WasmExports = Record<string, unknown>;

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports?: Record<string, Record<string, unknown>>) => { readonly exports: WasmExports };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The runtime's `WebAssembly` object, or null where there is none. */
export const wasmApi: WasmApi | null = ((globalThis as { WebAssembly?: WasmApi }).WebAssembly ?? null);
