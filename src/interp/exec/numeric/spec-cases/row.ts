// Row shape of the ported spec assertions: [instruction name, argument values, expected value or trap].
// Values are 'i32:0x…', 'i64:0x…', 'f32:0x…', 'f64:0x…' (exact bits); expected may also be
// 'f32:nan:canonical' / 'f32:nan:arithmetic' (likewise f64) or 'trap:<TrapKind>'.
export type SpecRow = readonly [op: string, args: readonly string[], expected: string];
