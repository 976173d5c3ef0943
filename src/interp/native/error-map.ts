// Mapping the platform's WebAssembly errors onto our one-error-class-per-phase scheme (errors.ts).
// The platform reports only messages, so this is a best-effort reading of V8's wording (the one Node and
// Chromium share); an unknown message still lands in the right *phase*, with a generic kind.
//
// Known limit: WebAssembly.CompileError covers both decoding (spec 5) and validation (spec 3). We tell
// them apart from the message; V8 sometimes reports a validation problem in decoder words and vice versa,
// so assert_malformed/assert_invalid results on this engine are indicative only. The conformance gate
// is the interpreter's.

import { DecodeError, ExhaustionError, LinkError, Trap, ValidationError } from '../errors.ts';
import type { TrapKind, WasmError } from '../errors.ts';

/** V8 appends "@+123" (byte offset in the module) to compile errors. */
function offsetOf(msg: string): number {
  const m = /@\+(\d+)\s*$/.exec(msg);
  return m ? Number(m[1]) : -1;
}

function stripOffset(msg: string): string {
  return msg.replace(/\s*@\+\d+\s*$/, '');
}

// Messages V8 uses for type/index/constraint problems (spec 3, validation). Everything else that
// CompileError reports is taken as a decode problem.
const VALIDATION_PATTERNS: RegExp[] = [
  /type error/i,
  /expected \d+ elements? on the stack/i,
  /not enough arguments on the stack/i,
  /expected type|\[\d+\] expected|expected reference type|found .* of type/i,
  /invalid (local|global|function|table|memory|type|signature|data segment|element segment|elem segment) index/i,
  /(local|global|function|table|memory|signature|data segment|element segment) index #?\d+ (is )?out of bounds/i,
  /out of bounds (local|global|function|table|memory|type|signature)/i,
  /no signature at index|signature index/i,
  /immutable global|cannot (set|assign) (to )?immutable/i,
  /duplicate export/i,
  /invalid (branch|break|br) depth|arity/i,
  /without memory|no memory|memory index|illegal memory/i,
  /table index \d+ exceeds|no table|is not of a function type/i,
  /subtype|super-?type|must reference a table/i,
  /undeclared reference to function|declared reference|not declared/i,
  /is larger than|must be less than|exceeds (the )?(maximum|limit)|size.*greater than/i,
  /invalid alignment/i,
  /start function/i,
  /invalid type for select|select without type|number of types|accepts exactly one type/i,
  /non-constant|must be constant|not a constant|constant expression/i,
  /count of \d+ exceeds|less than initial/i,
  /multiple memories|multiple tables|at most one/i,
];

// Shapes that are surely decode errors even when they mention a validation word above.
const DECODE_PATTERNS: RegExp[] = [
  /magic word|version/i,
  /unexpected end|reached end|length out of bounds|section (was )?(shorter|longer)|extends past end/i,
  /leb|varint|varuint|extra bits|expected (initial|maximum) size/i,
  /utf-?8/i,
  /unknown section|section out of order|unexpected section|duplicate .*section/i,
  /invalid opcode|illegal opcode|invalid (value|local|block) type(?! index)|invalid (element|data) segment (kind|flags)/i,
  /too many (locals|types|functions|imports|exports)/i,
  /function body count|function and code section/i,
  /must end with "?end"?|missing 'end'/i,
  /data segments count|data count/i,
  /expected memory index 0, found|expected signature index/i,
  /malformed|zero byte|reserved/i,
];

/** Alignment exponents of 32 and more set the memory-index flag bit: spec 5.4.6 calls that malformed. */
const MALFORMED_ALIGNMENT = /actual alignment is (\d+)/;
const MAX_ALIGN_EXPONENT = 31;

const DATA_INDEX = /invalid data segment index/i;

/**
 * @param hasDataCount whether the module has a data count section: without one, memory.init/data.drop
 * are malformed (spec 5.5.16), which V8 reports as a bad data segment index.
 */
export function mapCompileError(e: unknown, hasDataCount = true): WasmError {
  const msg = e instanceof Error ? e.message : String(e);
  const text = stripOffset(msg);
  const offset = offsetOf(msg);
  if (!hasDataCount && DATA_INDEX.test(text)) return new DecodeError('native-malformed', text, offset);
  const align = MALFORMED_ALIGNMENT.exec(text);
  const isDecode = DECODE_PATTERNS.some((p) => p.test(text)) || (align !== null && Number(align[1]) > MAX_ALIGN_EXPONENT);
  const isValid = VALIDATION_PATTERNS.some((p) => p.test(text));
  if (isValid && !isDecode) return new ValidationError('native-invalid', text, offset);
  return new DecodeError('native-malformed', text, offset);
}

export function mapLinkError(e: unknown): LinkError {
  const msg = e instanceof Error ? e.message : String(e);
  return new LinkError('native-link', msg);
}

// V8's trap messages (src/common/message-template.h, the kTrap* entries). Measured on the spec suite
// (Node 20), three V8 messages each cover two spec traps, so the kind is a guess there:
// - "float unrepresentable in integer range": integer overflow (out-of-range trunc) and invalid conversion
//   (NaN trunc); we say invalid-conversion-to-integer;
// - "null function or function signature mismatch": uninitialized element and indirect call type mismatch;
//   we say indirect-call-type-mismatch;
// - "table index is out of bounds": out of bounds table access and undefined element (call_indirect past
//   the table's end); we say out-of-bounds-table.
const TRAP_PATTERNS: [RegExp, TrapKind][] = [
  [/unreachable/i, 'unreachable'],
  [/memory access out of bounds|data segment.*out of bounds|out of bounds memory/i, 'out-of-bounds-memory'],
  [/divide by zero|remainder by zero|division by zero/i, 'integer-divide-by-zero'],
  [/integer overflow|divide result unrepresentable/i, 'integer-overflow'],
  [/float unrepresentable|invalid conversion|unrepresentable in integer/i, 'invalid-conversion-to-integer'],
  [/signature mismatch|function signature/i, 'indirect-call-type-mismatch'],
  [/invalid index into function table/i, 'undefined-element'],
  [/null function|uninitialized element|null.*function/i, 'uninitialized-element'],
  [/dereferencing a null|null pointer|null reference/i, 'null-reference'],
  [/table index is out of bounds|element segment.*out of bounds|table.*out of bounds|out of bounds table/i, 'out-of-bounds-table'],
];

export function trapFromRuntimeError(e: Error): Trap {
  for (const [p, kind] of TRAP_PATTERNS) if (p.test(e.message)) return new Trap(kind, e.message);
  return new Trap('host', e.message);
}

const STACK_OVERFLOW = /maximum call stack size exceeded/i;

/**
 * Maps an error thrown while running guest code: a wasm trap → Trap, a JS stack overflow → ExhaustionError,
 * a failed memory/table allocation at instantiation → ExhaustionError. Anything else (a host function's own
 * exception, e.g. WASI proc_exit) is returned unchanged.
 */
export function mapRunError(e: unknown): unknown {
  if (e instanceof WebAssembly.RuntimeError) return trapFromRuntimeError(e);
  if (e instanceof RangeError) {
    if (STACK_OVERFLOW.test(e.message)) return new ExhaustionError('call-stack', e.message);
    if (/out of memory|cannot allocate|could not allocate/i.test(e.message)) {
      return new ExhaustionError('memory-limit', e.message);
    }
  }
  return e;
}
