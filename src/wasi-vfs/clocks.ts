// Clocks as the policy chose: real (Date.now / performance.now) or fixed. The fixed clock starts at a
// configured epoch and advances by `step` on every read, so time is monotonic, never stands still (a guest
// loop waiting for time to pass still ends), and two runs see identical values.

import { CLOCKID } from './constants.ts';

export interface Clocks {
  readonly deterministic: boolean;
  /** Current time of clock `id` in ns, or undefined for an unknown clock. */
  now(id: number): bigint | undefined;
  resolution(id: number): bigint | undefined;
  /** Let virtual time pass (poll_oneoff on a fixed clock); a no-op for real clocks. */
  advance(ns: bigint): void;
  /** The state a snapshot keeps (deterministic clocks only), and putting it back. */
  save?(): bigint;
  load?(state: bigint): void;
}

const KNOWN = new Set<number>([CLOCKID.realtime, CLOCKID.monotonic, CLOCKID.process_cputime_id, CLOCKID.thread_cputime_id]);

export class RealClocks implements Clocks {
  readonly deterministic = false;
  private readonly start = performance.now();

  now(id: number): bigint | undefined {
    if (!KNOWN.has(id)) return undefined;
    if (id === CLOCKID.realtime) return BigInt(Date.now()) * 1_000_000n;
    // performance.now() has µs resolution at best in browsers; scale to ns.
    return BigInt(Math.round((performance.now() - (id === CLOCKID.monotonic ? 0 : this.start)) * 1e6));
  }

  resolution(id: number): bigint | undefined {
    if (!KNOWN.has(id)) return undefined;
    return id === CLOCKID.realtime ? 1_000_000n : 1_000n;
  }

  advance(): void {}
}

export class FixedClocks implements Clocks {
  readonly deterministic = true;
  private ticks = 0n;

  constructor(
    private readonly epochNs: bigint,
    private readonly stepNs: bigint,
  ) {}

  now(id: number): bigint | undefined {
    if (!KNOWN.has(id)) return undefined;
    this.ticks += this.stepNs;
    return id === CLOCKID.realtime ? this.epochNs + this.ticks : this.ticks;
  }

  resolution(id: number): bigint | undefined {
    if (!KNOWN.has(id)) return undefined;
    return this.stepNs > 0n ? this.stepNs : 1n;
  }

  advance(ns: bigint): void {
    if (ns > 0n) this.ticks += ns;
  }

  save(): bigint {
    return this.ticks;
  }

  load(state: bigint): void {
    this.ticks = state;
  }

  /** Realtime without consuming a step (file timestamps). */
  peekRealtime(): bigint {
    return this.epochNs + this.ticks;
  }
}
