// Public surface of the WASI layer, for the worker and the CLI: load a package, build a WASI host, run.
export { loadArchive, gunzipCapped, isGzip, entryComponents } from './tar-loader.ts';
export type { LoadOptions, LoadResult, ArchiveLimits } from './tar-loader.ts';
export { MemFS } from './fs.ts';
export type { Node, DirNode, FileNode, SymlinkNode, FsOptions } from './fs.ts';
export { WasiHost, WASI_FUNCTIONS } from './host.ts';
export type { WasiOptions, Preopen, PolicyAskToken } from './host.ts';
export type { HostSnapshot } from './snapshot.ts';
export { runWasi } from './runner.ts';
export type { RunWasiOptions, RunWasiResult, RunOutcome } from './runner.ts';
export { Trace, traceFrames } from './trace.ts';
export type { TraceSnapshot, TraceRecord, TraceOptions, TraceDecision, TraceFrame, TraceValue, TraceAttribution } from './trace.ts';
export { ArchiveError, ProcExit, WasiConfigError } from './errors.ts';
export type { ArchiveErrorKind } from './errors.ts';
export { snapshotTree, diffTrees } from './tree-diff.ts';
export type { TreeSnapshot, TreeChange } from './tree-diff.ts';
export { resolve, MAX_SYMLINK_EXPANSIONS } from './path.ts';
export type { Sink } from './context.ts';
