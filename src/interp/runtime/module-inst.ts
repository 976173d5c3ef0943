// A module instance (spec 4.2.5): the resolved index spaces the executor reads through.

import type { Module } from '../syntax/types.ts';
import type { FuncInst, GlobalInst, MemoryInst, Ref, TableInst } from './store.ts';

export interface ModuleInst {
  module: Module;
  funcs: FuncInst[];
  tables: TableInst[];
  mems: MemoryInst[];
  globals: GlobalInst[];
  /** Element segments; null once dropped (spec: elem.drop leaves an empty segment). */
  elems: (Ref[] | null)[];
  /** Data segments; null once dropped. */
  datas: (Uint8Array | null)[];
  /** Number of imported functions (defined function i has index numImportedFuncs + i). */
  numImportedFuncs: number;
  /** Compile-time limit shared by all functions of this instance. */
  maxLocals: number;
}
