// Shared scratch buffer for moving bits between number, bigint and int32-half views without allocating.
// One 8-byte buffer viewed five ways; callers write one view and read another immediately (no reentrancy:
// nothing here calls out while a value is parked in the buffer).

const buf = new ArrayBuffer(8);
export const SCRATCH_I32 = new Int32Array(buf);
export const SCRATCH_U32 = new Uint32Array(buf);
export const SCRATCH_F32 = new Float32Array(buf);
export const SCRATCH_F64 = new Float64Array(buf);
export const SCRATCH_I64 = new BigInt64Array(buf);

/** Typed arrays use the platform's byte order; these name which int32 element holds which half of an i64/f64. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
export const LO_WORD = LITTLE_ENDIAN ? 0 : 1;
export const HI_WORD = LITTLE_ENDIAN ? 1 : 0;
