// The syscall trace: one plain-data record per WASI call, in call order. Records hold decoded arguments
// (paths as strings, flags as names, fds with their paths), the errno name, bytes moved with a bounded copy
// of the data, the policy decision with its rule, and (interp engine) the guest call stack.
//
// Memory cap: records are kept until their estimated size (the length of their JSON) reaches `maxBytes`.
// Past the cap new records are NOT stored, except denied calls, which are kept up to a second allowance of
// `maxBytes` (a denial is what an auditor needs most). Every call is still counted: `seq` keeps increasing,
// `dropped` counts the records not kept, and `counts` keeps per-function totals. toJsonl() ends with a
// `{"truncated":true,...}` line when anything was dropped, so a reader can never mistake a cut trace
// for a complete one.

import type { StackFrame } from '../interp/api.ts';

export type TraceValue = string | number | boolean | null | TraceValue[] | { [k: string]: TraceValue };

export interface TraceDecision {
  op: string;
  /** Relative to the package root (what the policy judged); an escape's path may start with `..` or `/`. */
  path: string;
  /** The same path as the guest names it, absolute from its `/` (context.ts, guestPathOf); not for env. */
  guestPath?: string;
  verdict: 'allow' | 'deny' | 'ask';
  rule: string;
}

export interface TraceFrame {
  func: number;
  name?: string;
  offset: number;
}

/** An engine's guest stack as trace frames (the `stackProvider` of interp runs and sessions). */
export function traceFrames(instance: { stack(): readonly StackFrame[] }): TraceFrame[] {
  return instance.stack().map((f) => ({ func: f.funcIndex, name: f.name, offset: f.offset }));
}

export interface TraceRecord {
  seq: number;
  fn: string;
  args: Record<string, TraceValue>;
  errno: string;
  /** Values written back to the guest (new fd, offsets, sizes...). */
  out?: Record<string, TraceValue>;
  /** Bytes moved by read/write-like calls. */
  bytes?: number;
  /** The first `dataBytes` bytes moved, as UTF-8 text when valid, else hex. */
  data?: { text: string } | { hex: string };
  /** Set when the copy in `data` is shorter than `bytes`. */
  dataTruncated?: boolean;
  decisions?: TraceDecision[];
  stack?: TraceFrame[];
  /** Which package's build.zig made the call (worker, interp runs; src/worker/attribute-records.ts). */
  attribution?: TraceAttribution;
}

/**
 * The innermost stack frame in a package's build.zig (src/attribution's Attribution, made plain for the
 * app). Only on the records the worker sends to the app, never on the trace it hashes or keeps.
 */
export interface TraceAttribution {
  /** The root package's name (build.zig.zon `.name`, else '(root)') or a dependency's folder name; absent when only names say "some build.zig" (via 'name'). */
  package?: string;
  /** Set for the root package. */
  root?: true;
  /** The build.zig, from the package root ('build.zig', 'deps/alpha/build.zig'); absent via 'name'. */
  file?: string;
  /** 1-based; absent via 'name'. */
  line?: number;
  column?: number;
  /** The line is the call site of a function inlined there (from .debug_info). */
  inlined?: true;
  /** The guest function of that frame (name section). */
  name?: string;
  /** 'dwarf': file and line from DWARF; 'name': only the name section (no package, no line). */
  via: 'dwarf' | 'name';
}

export interface TraceOptions {
  /** Approximate storage cap in bytes (JSON size of kept records). Default 64 MiB. */
  maxBytes?: number;
  /** Bytes of data copied into each record. Default 64. 0 disables copies. */
  dataBytes?: number;
  /** Called with every record as it is completed (kept or not), e.g. to batch events to the app. */
  onRecord?: (r: TraceRecord) => void;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** A Trace's counters and its first `n` records (records are never changed once ended, so they are shared). */
export interface TraceSnapshot {
  records: TraceRecord[];
  n: number;
  counts: [string, number][];
  dropped: number;
  seq: number;
  bytesKept: number;
  deniedBytesKept: number;
}

export class Trace {
  /** Kept records. restore() replaces the array (snapshots may share the old one), so re-read it. */
  records: TraceRecord[] = [];
  readonly counts = new Map<string, number>();
  dropped = 0;
  private seq = 0;
  private bytesKept = 0;
  private deniedBytesKept = 0;
  readonly maxBytes: number;
  readonly dataBytes: number;
  private readonly onRecord?: (r: TraceRecord) => void;
  /** Filled by the runner on the interp engine: the guest frames at the current host call. */
  stackProvider?: () => TraceFrame[];

  constructor(opts: TraceOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 64 << 20;
    this.dataBytes = opts.dataBytes ?? 64;
    this.onRecord = opts.onRecord;
  }

  begin(fn: string): TraceRecord {
    const r: TraceRecord = { seq: this.seq++, fn, args: {}, errno: 'success' };
    if (this.stackProvider) r.stack = this.stackProvider();
    return r;
  }

  /** Attach a bounded copy of moved data. */
  attachData(r: TraceRecord, chunks: Uint8Array[], total: number): void {
    r.bytes = (r.bytes ?? 0) + total;
    if (this.dataBytes <= 0 || total === 0) return;
    const copy = new Uint8Array(Math.min(this.dataBytes, total));
    let off = 0;
    for (const c of chunks) {
      if (off >= copy.length) break;
      const n = Math.min(c.length, copy.length - off);
      copy.set(c.subarray(0, n), off);
      off += n;
    }
    let text: string | undefined;
    try {
      text = utf8Fatal.decode(copy);
    } catch {
      text = undefined;
    }
    r.data = text !== undefined ? { text } : { hex: Array.from(copy, (b) => b.toString(16).padStart(2, '0')).join('') };
    if (copy.length < total) r.dataTruncated = true;
  }

  end(r: TraceRecord): void {
    this.counts.set(r.fn, (this.counts.get(r.fn) ?? 0) + 1);
    const size = JSON.stringify(r).length + 1;
    const denied = r.decisions?.some((d) => d.verdict === 'deny') ?? false;
    if (this.bytesKept + size <= this.maxBytes) {
      this.bytesKept += size;
      this.records.push(r);
    } else if (denied && this.deniedBytesKept + size <= this.maxBytes) {
      this.deniedBytesKept += size;
      this.records.push(r);
    } else this.dropped++;
    this.onRecord?.(r);
  }

  snapshot(): TraceSnapshot {
    return {
      records: this.records, n: this.records.length, counts: [...this.counts], dropped: this.dropped,
      seq: this.seq, bytesKept: this.bytesKept, deniedBytesKept: this.deniedBytesKept,
    };
  }

  /** Back to a snapshot's state. onRecord is not called for the restored records. */
  restore(s: TraceSnapshot): void {
    this.records = s.records.slice(0, s.n);
    this.counts.clear();
    for (const [k, v] of s.counts) this.counts.set(k, v);
    this.dropped = s.dropped;
    this.seq = s.seq;
    this.bytesKept = s.bytesKept;
    this.deniedBytesKept = s.deniedBytesKept;
  }

  get total(): number {
    return this.seq;
  }

  toJsonl(): string {
    let s = '';
    for (const r of this.records) s += `${JSON.stringify(r)}\n`;
    if (this.dropped > 0) s += `${JSON.stringify({ truncated: true, dropped: this.dropped, total: this.seq })}\n`;
    return s;
  }
}
