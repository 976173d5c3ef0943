// Spec script (.wast) support: parse with wabt, run against any Engine.

export { parseWast, watToBinary, WastParseError, WASM2_FEATURES } from './wast.ts';
export type { ParsedScript } from './wast.ts';
export { runScript } from './runner.ts';
export type { RunScriptOptions } from './runner.ts';
export type { Failure, ScriptResult, WastCommand } from './commands.ts';
export { ExternRef, matches, argValue } from './values.ts';
