// Trap constructors for the numeric instructions, kept out of line so the hot functions stay small enough
// for V8 to inline. Messages follow the spec testsuite's assert_trap texts.

import { Trap } from '../../errors.ts';

export function trapDivideByZero(): never {
  throw new Trap('integer-divide-by-zero', 'integer divide by zero');
}

export function trapIntegerOverflow(): never {
  throw new Trap('integer-overflow', 'integer overflow');
}

export function trapInvalidConversion(): never {
  throw new Trap('invalid-conversion-to-integer', 'invalid conversion to integer');
}
