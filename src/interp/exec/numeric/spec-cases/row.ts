// Row shape of the ported spec assertions: [instruction or function name, argument values, expected].
// Values are 'i32:0x…', 'i64:0x…', 'f32:0x…', 'f64:0x…' (exact bits); expected may also be
// 'f32:nan:canonical' / 'f32:nan:arithmetic' (likewise f64) or 'trap:<TrapKind>'.
export type SpecRow = readonly [op: string, args: readonly string[], expected: string];

/** Bits of a 'type:0x…' literal: an int32 number for 32-bit types, a signed bigint for 64-bit types. */
export function bitsOf(lit: string): number | bigint {
  const [ty, hex] = lit.split(':') as [string, string];
  return ty === 'i64' || ty === 'f64' ? BigInt.asIntN(64, BigInt(hex)) : Number(BigInt.asIntN(32, BigInt(hex)));
}

/** Whether result bits satisfy an expected value, including the spec's nan:canonical / nan:arithmetic. */
export function bitsMatch(expected: string, actual: number | bigint): boolean {
  if (expected.endsWith('nan:canonical') || expected.endsWith('nan:arithmetic')) {
    const canonical = expected.endsWith('canonical');
    if (expected.startsWith('f32')) {
      const a = actual as number;
      return canonical ? (a & 0x7fffffff) === 0x7fc00000 : (a & 0x7fc00000) === 0x7fc00000;
    }
    const a = actual as bigint;
    return canonical ? (a & 0x7fffffffffffffffn) === 0x7ff8000000000000n : (a & 0x7ff8000000000000n) === 0x7ff8000000000000n;
  }
  return bitsOf(expected) === actual;
}
