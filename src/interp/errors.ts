// One error class per phase, as in the reference interpreter (decode, valid, link, trap, exhaustion, crash).
// The spec script runner maps each assert_* to exactly one of them. Never throw strings.

export type Phase = 'decode' | 'validate' | 'link' | 'trap' | 'exhaustion' | 'internal';

export abstract class WasmError extends Error {
  abstract readonly phase: Phase;
  constructor(
    /** Stable machine-readable reason, e.g. 'unexpected-end', 'type-mismatch', 'out-of-bounds-memory'. */
    readonly kind: string,
    message: string,
    /** Byte offset in the module binary, or -1 when there is none (e.g. a host-side limit). */
    readonly offset: number = -1,
  ) {
    super(offset >= 0 ? `${message} (at byte 0x${offset.toString(16)})` : message);
    this.name = new.target.name;
  }
}

/** Malformed binary: structure, not types. */
export class DecodeError extends WasmError {
  readonly phase = 'decode' as const;
}

/** Well-formed but ill-typed module. */
export class ValidationError extends WasmError {
  readonly phase = 'validate' as const;
}

/** Imports do not match, or instantiation-time segment initialisation failed to link. */
export class LinkError extends WasmError {
  readonly phase = 'link' as const;
}

export type TrapKind =
  | 'unreachable'
  | 'out-of-bounds-memory'
  | 'out-of-bounds-table'
  | 'undefined-element'
  | 'uninitialized-element'
  | 'indirect-call-type-mismatch'
  | 'integer-divide-by-zero'
  | 'integer-overflow'
  | 'invalid-conversion-to-integer'
  | 'null-reference'
  | 'host';

/** A guest fault (spec: trap). The instance stays usable after one. */
export class Trap extends WasmError {
  readonly phase = 'trap' as const;
  constructor(kind: TrapKind, message: string, offset = -1) {
    super(kind, message, offset);
  }
}

export type ExhaustionKind = 'call-stack' | 'value-stack' | 'memory-limit' | 'table-limit' | 'locals-limit' | 'module-limit';

/** A configured resource limit was reached (call depth, value stack, memory pages, table size...). */
export class ExhaustionError extends WasmError {
  readonly phase = 'exhaustion' as const;
  constructor(kind: ExhaustionKind, message: string, offset = -1) {
    super(kind, message, offset);
  }
}

/** A state that validated code can never reach: a bug in the engine, not in the guest. */
export class InternalError extends WasmError {
  readonly phase = 'internal' as const;
}

export function isWasmError(e: unknown): e is WasmError {
  return e instanceof WasmError;
}
