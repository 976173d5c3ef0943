// `--make STEP`: attribution of trace records to the one custom step the graph runner makes in the sandbox
// (guest/make.zig). The runner prints the graph, then brackets the step's make() with marker lines on
// stderr, each in a single fd_write:
//   sandbuild:make-begin ID
//   sandbuild:make-end ID ok | sandbuild:make-end ID error MESSAGE
// Everything from the record of the fd_write that carries the begin marker to the end of the run is the
// step's (the runner does nothing after make-end but exit). Because make() is guest code that can print
// anything, a forged marker must not move records between configure and make:
//  - a begin marker counts only once the graph is on stdout (the runner flushes it first; configure-time
//    code that writes to stdout breaks the graph anyway), and only the first one;
//  - attribution never ends early, so a forged make-end cannot hand make-time syscalls back to configure;
//  - the outcome is read from the last make-end line of the begun id, and only when the run exited 0 (a
//    trap inside make() is a trap, whatever was printed before it).

import type { TraceRecord } from '../wasi-vfs/trace.ts';
import { asDenial, asMissing, type MissingLookup } from './denials.ts';

/** A trace record with the id of the step being made when it happened (absent: configure time). */
export type AttributedRecord = TraceRecord & { step?: number };

export interface MakeResult {
  /** The step as requested (a name or a graph id). */
  request: string;
  /** The graph id the runner resolved it to (from the begin marker), if it got that far. */
  step?: number;
  /**
   * ok / error: make() returned (error: `message` holds the step's error messages);
   * not-run: the runner stopped before making (e.g. no such custom step; `message` is its stderr line);
   * trap: the run did not exit cleanly after make began (a panic in make(), out of fuel).
   */
  status: 'ok' | 'error' | 'not-run' | 'trap';
  message?: string;
  /** Records attributed to the step (every one counted; the first MAX_LISTED kept). */
  syscallTotal: number;
  syscalls: AttributedRecord[];
  /** The step's denied syscalls and lookups of missing paths (not in the configure-time lists). */
  denials: TraceRecord[];
  missing: MissingLookup[];
}

const BEGIN = /^sandbuild:make-begin (\d+)$/;
const END = /^sandbuild:make-end (\d+) (ok|error)(?: (.*))?$/;

/** Follows the guest's stderr and stdout and tags trace records once the step's make() has begun. */
export class MakeAttribution {
  private step: number | undefined;
  private sawStdout = false;
  private line = '';
  private end: { status: 'ok' | 'error'; message?: string } | undefined;
  private readonly dec = new TextDecoder();
  syscallTotal = 0;
  readonly syscalls: AttributedRecord[] = [];
  readonly denials: TraceRecord[] = [];
  readonly missing: MissingLookup[] = [];

  constructor(
    readonly request: string,
    private readonly maxListed: number,
  ) {}

  /** Guest stdout: only whether the graph has started to arrive. */
  stdout(b: Uint8Array): void {
    if (b.length > 0) this.sawStdout = true;
  }

  /** Guest stderr, split into lines; a marker takes effect for the record of the write carrying it. */
  stderr(b: Uint8Array): void {
    const parts = (this.line + this.dec.decode(b, { stream: true })).split('\n');
    this.line = parts.pop() ?? '';
    // A line without end from a hostile make() must not grow without bound.
    if (this.line.length > 4096) this.line = '';
    for (const l of parts) this.onLine(l);
  }

  private onLine(l: string): void {
    const begin = BEGIN.exec(l);
    if (begin) {
      if (this.step === undefined && this.sawStdout) this.step = Number(begin[1]);
      return;
    }
    const end = END.exec(l);
    if (end && this.step !== undefined && Number(end[1]) === this.step) {
      this.end = end[2] === 'ok' ? { status: 'ok' } : { status: 'error', message: end[3] ?? '' };
    }
  }

  /**
   * Called for every completed record; returns true when it is the step's (then tagged with `step`), so
   * the caller leaves it out of the configure-time lists.
   */
  record(r: TraceRecord): boolean {
    if (this.step === undefined) return false;
    (r as AttributedRecord).step = this.step;
    this.syscallTotal++;
    if (this.syscalls.length < this.maxListed) this.syscalls.push(r);
    const denial = asDenial(r);
    if (denial && this.denials.length < this.maxListed) this.denials.push(denial);
    const miss = asMissing(r);
    if (miss && this.missing.length < this.maxListed) this.missing.push(miss);
    return true;
  }

  /** The outcome, once the run has ended (`exitedClean`: exit status 0). `stderr` is the guest's, for not-run. */
  result(exitedClean: boolean, stderr: string): MakeResult {
    const base = { request: this.request, syscallTotal: this.syscallTotal, syscalls: this.syscalls, denials: this.denials, missing: this.missing };
    if (this.step === undefined) {
      const last = stderr.trimEnd().split('\n').at(-1) ?? '';
      return { ...base, status: 'not-run', message: last };
    }
    if (!exitedClean) return { ...base, step: this.step, status: 'trap' };
    if (!this.end) return { ...base, step: this.step, status: 'error', message: 'the runner printed no make-end marker' };
    return { ...base, step: this.step, ...this.end };
  }
}
