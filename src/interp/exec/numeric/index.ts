// Pure numeric semantics (spec 4.3 "Numerics"), one namespace per value type. The executor binds these;
// it does not re-implement them. Representations: i32 = int32 number, i64 = bigint (or int32 halves via
// i64h), f32/f64 = number, with abs/neg/copysign on raw bits (see f32.ts and f64.ts).

export * as i32 from './i32.ts';
export * as i64 from './i64.ts';
export * as i64h from './i64-halves.ts';
export * as f32 from './f32.ts';
export * as f64 from './f64.ts';
export * as convert from './convert.ts';
export { trapDivideByZero, trapIntegerOverflow, trapInvalidConversion } from './traps.ts';
export { SCRATCH_F32, SCRATCH_F64, SCRATCH_I32, SCRATCH_I64, SCRATCH_U32, LO_WORD, HI_WORD, LITTLE_ENDIAN } from './scratch.ts';
