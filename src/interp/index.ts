// sandbuild's WebAssembly engine. A hand-picked public surface: the two engines, the embedding types,
// and the error classes. Everything else is internal to its chapter folder.

export { interpEngine, InterpInstance } from './engine.ts';
export { snapshotPages, type InstanceSnapshot } from './exec/snapshot.ts';
export { nativeEngine } from './native/index.ts';
export { decode } from './binary/index.ts';
export { validate } from './valid/index.ts';
export * from './api.ts';
export { DecodeError, ExhaustionError, InternalError, LinkError, Trap, ValidationError, WasmError, isWasmError } from './errors.ts';
export type { Phase, TrapKind, ExhaustionKind } from './errors.ts';
export type { Module, FuncType, ValType } from './syntax/types.ts';
