// The inspector's pure pieces: what a paused SessionView shows (args, errno, decision, stack with source
// lines and attribution), which controls can act now, the n/p/c shortcuts, and the rules a session's
// prompts added to the policy. Plain strings only: every value is rendered through text bindings.

import type { Attribution, FrameSource, SourceLine } from '../../../attribution/index.ts';
import type { FsRule, Policy } from '../../../policy/index.ts';
import { errnoName } from '../../../wasi-vfs/constants.ts';
import type { TraceDecision, TraceRecord, TraceValue } from '../../../wasi-vfs/index.ts';
import type { SessionAnswer, SessionView } from '../../../worker/types.ts';

type SessionStatus = SessionView['status'];
import { formatValue } from '../trace/format.ts';

export interface ArgRow {
  name: string;
  /** One-line text of the decoded value (strings quoted and clipped, fds as `3<path>`, flags joined). */
  text: string;
}

/** The decoded args of a trace record, one row each, in the host's order. */
export function argRows(r: TraceRecord): ArgRow[] {
  return Object.entries(r.args).map(([name, v]) => ({ name, text: formatArg(v) }));
}

function formatArg(v: TraceValue): string {
  // An empty flag set reads better as "none" than as the trace line's "0".
  return Array.isArray(v) && v.length === 0 ? 'none' : formatValue(v);
}

/** `acces (2)`: the errno the guest will receive, by name and number. */
export function errnoText(n: number | undefined): string {
  return n === undefined ? '—' : `${errnoName(n)} (${n})`;
}

export interface DecisionView {
  verdict: TraceDecision['verdict'];
  /** `read root/.ssh/id_rsa` (the guest's own spelling in parentheses when it differs). */
  what: string;
  rule: string;
}

export function decisionView(d: TraceDecision | undefined): DecisionView | undefined {
  if (!d) return undefined;
  const guest = d.guestPath !== undefined && d.guestPath !== d.path && d.guestPath !== `/${d.path}` ? ` (guest: ${d.guestPath})` : '';
  return { verdict: d.verdict, what: `${d.op} ${d.path}${guest}`, rule: d.rule };
}

/** `build.zig:22` or undefined. */
export function sourceText(s: SourceLine | undefined): string | undefined {
  return s ? `${s.file}:${s.line}` : undefined;
}

/**
 * Which package a build.zig belongs to ('' is the root). `rootName` is the root's build.zig.zon name, the
 * one the trace shows (`build.zig:22 (tiny)`), so the inspector and the prompt say `tiny (root package)`.
 */
export function packageText(pkg: string | undefined, rootName?: string): string {
  if (pkg === undefined) return 'some package';
  if (pkg === '') return rootName ? `${rootName} (root package)` : 'the root package';
  return `package ${JSON.stringify(pkg)}`;
}

/** `build.zig:22 in the root package`, `build.zig:9 in package "dep"`, or the frame's name without DWARF. */
export function attributionText(a: Attribution | undefined): string | undefined {
  if (!a) return undefined;
  const where = a.file !== undefined ? `${a.file}${a.line !== undefined ? `:${a.line}` : ''}` : (a.name ?? `func ${a.func}`);
  return `${where} in ${packageText(a.package)}${a.inlined ? ' (inlined call site)' : ''}`;
}

/** The root package's name as the trace labels it, from an attributed trace record of the root's build.zig. */
export function rootNameOf(r: TraceRecord | undefined): string | undefined {
  return r?.attribution?.root ? r.attribution.package : undefined;
}

export interface FrameRow {
  /** Index in the stack (innermost last), as Attribution.frameIndex counts. */
  index: number;
  name: string;
  where?: string;
  /** Call sites inlined into this frame, innermost first. */
  inlined: string[];
  /** The frame attribution picked (the innermost one in a package's build.zig). */
  attributed: boolean;
}

/** The stack innermost first (as debuggers list it), with each frame's source line when DWARF has one. */
export function frameRows(frames: readonly FrameSource[], a: Attribution | undefined): FrameRow[] {
  const rows: FrameRow[] = [];
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    rows.push({
      index: i,
      name: f.name ?? `func[${f.func}]`,
      where: sourceText(f.source),
      inlined: (f.inlinedCallers ?? []).map((s) => `${s.file}:${s.line}`),
      attributed: a?.frameIndex === i,
    });
  }
  return rows;
}

/** What a control needs: is a session open, is a call in flight, is a sliced run going, where it stands. */
export interface ControlState {
  open: boolean;
  busy: boolean;
  running: boolean;
  status: SessionStatus | undefined;
  seq: number;
}

export interface Enabled {
  next: boolean;
  denied: boolean;
  back: boolean;
  run: boolean;
  pause: boolean;
  runTo: boolean;
  restart: boolean;
  close: boolean;
  answer: boolean;
}

/** Which controls can act now: nothing while a call is in flight (pause aside); a prompt must be answered first. */
export function enabledControls(c: ControlState): Enabled {
  const idle = c.open && !c.busy && !c.running;
  const forwards = idle && (c.status === 'ready' || c.status === 'paused' || c.status === 'running');
  return {
    next: forwards,
    denied: forwards,
    run: forwards,
    back: idle && c.status !== 'ready' && c.status !== undefined && c.seq >= 0,
    pause: c.open && c.running,
    runTo: idle,
    restart: idle,
    close: c.open,
    answer: idle && c.status === 'ask',
  };
}

export type Shortcut = 'next' | 'back' | 'denied';

const KEYS: Record<string, Shortcut> = { n: 'next', p: 'back', c: 'denied' };

/** What the key event target is, as far as shortcuts care. */
export interface KeyTarget {
  tagName?: string;
  isContentEditable?: boolean;
  /** Inside a Monaco editor (its textarea is caught by the tag already; this covers the rest of it). */
  inEditor?: boolean;
}

/** n / p / c, unless the user is typing (inputs, textareas, selects, contenteditable, Monaco) or holds a modifier. */
export function shortcutFor(key: string, mods: { ctrlKey: boolean; metaKey: boolean; altKey: boolean }, target: KeyTarget | null): Shortcut | undefined {
  if (mods.ctrlKey || mods.metaKey || mods.altKey) return undefined;
  if (target) {
    const tag = (target.tagName ?? '').toUpperCase();
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable || target.inEditor) return undefined;
  }
  return KEYS[key];
}

/** Parse the "run to syscall #k" box: a whole number ≥ 0, or undefined. */
export function parseSeq(text: string): number | undefined {
  const t = text.trim().replace(/^#/, '');
  if (!/^\d{1,9}$/.test(t)) return undefined;
  return Number(t);
}

/** The fs rules in `after` that `before` lacks (what "allow always" added), compared by content. */
export function addedRules(before: Policy, after: Policy): FsRule[] {
  const key = (r: FsRule) => JSON.stringify([r.ops, r.paths, r.verdict, r.where ?? null]);
  const have = new Set(before.fs.map(key));
  return after.fs.filter((r) => !have.has(key(r)));
}

/** One-line status for the bar: `paused at #7 (path_open)`. */
export function statusText(status: SessionStatus | undefined, seq: number, fn: string | undefined, running: boolean): string {
  if (running) return 'running…';
  switch (status) {
    case undefined:
      return 'no session';
    case 'ready':
      return 'ready: before the first syscall';
    case 'paused':
      return `paused at #${seq}${fn ? ` (${fn})` : ''}`;
    case 'ask':
      return `asking at #${seq}${fn ? ` (${fn})` : ''}`;
    case 'running':
      return seq >= 0 ? `paused between syscalls (after #${seq})` : 'paused before the first syscall';
    case 'done':
      return `done: ${seq} syscalls`;
    default:
      return String(status satisfies never);
  }
}

const ANSWERS: Record<SessionAnswer, string> = { once: 'allow once', always: 'allow always', deny: 'deny' };

/** After a prompt: the run stopped at the answered call; say what the guest gets and which key goes on. */
export function answeredText(answer: SessionAnswer, seq: number, result: number | undefined): string {
  const got = result === undefined ? '' : `, where the guest gets ${errnoText(result)}`;
  return `Answered "${ANSWERS[answer]}": stopped at the answered call #${seq}${got}. Run goes on to the next prompt or the end; n steps one syscall.`;
}
