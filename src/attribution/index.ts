// Source attribution (issue #6): map a syscall's guest call stack to the package and the build.zig line that
// made it. `createAttributor(wasm)` reads the module's DWARF .debug_line (when present) and falls back to
// name-section names; `parseDebugLine` is the line-table parser on its own. No DOM, no Node-only APIs.
export { createAttributor, packageOf } from './attribute.ts';
export type { Attribution, Attributor, AttributorOptions, FrameSource, PackageDir } from './attribute.ts';
export { sourceMap, wasmLayout, LineIndex } from './locate.ts';
export type { SourceLine, SourceMap, WasmLayout } from './locate.ts';
export { parseDebugLine, DwarfError } from './debug-line.ts';
export type { LineRow, LineSequence, LineTable, DebugSections } from './debug-line.ts';
export { parseInlineSites, InlineIndex } from './debug-info.ts';
export type { InlineSite, InfoSections } from './debug-info.ts';
