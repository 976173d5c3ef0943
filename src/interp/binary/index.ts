// Binary format (spec chapter 5): bytes in, Module AST out, or a DecodeError with a byte offset.

export { decode } from './decode.ts';
export { DecodeError } from '../errors.ts';
export type { DecodeErrorKind } from './reader.ts';
