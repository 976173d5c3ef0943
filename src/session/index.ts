// The step-through session (issue #6): stop a package run at each syscall, continue to the next denied one,
// run to syscall k, step back (deterministic replay), restart, and answer live policy prompts. Pure
// TypeScript over src/interp + src/wasi-vfs + src/audit: no DOM, no Node-only APIs (worker and CLI).
export { createSession, Session } from './session.ts';
export type { SessionOptions, SessionState, SessionStatus, PendingCall, Target, StepOptions } from './session.ts';
export { SessionError } from './errors.ts';
export type { SessionErrorKind } from './errors.ts';
export { withAllowRule } from './prompt.ts';
export type { Answer, AskQuestion } from './prompt.ts';
export type { MemoryRegion, ViewOptions } from './memory-view.ts';
