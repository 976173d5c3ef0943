// Micro-benchmark: i64 in the executor's slot array as bigint (BigInt64Array view) vs. as two int32 halves
// (Int32Array view of the same buffer). Not a test; run with `npx tsx src/interp/exec/numeric/i64-repr.bench.ts`.
//
// Each kernel runs a tight loop that reads two source slots and writes one destination slot, the way a
// register-IR executor would. Sources stay fixed (destinations are a separate region), so value sizes do not
// drift between runs. Every variant is first checked to write the same bits as the plain bigint variant.
// Variants: `big` = BigInt.asIntN(64, ...) then store; `big-store` = rely on the BigInt64Array store to wrap
// (ToBigInt64 takes the value mod 2^64); `halves` = calls into i64-halves.ts; `inline` = the same code
// copied into the loop, as the executor would; `big-call` = calls the bigint functions in i64.ts.

import * as h from './i64-halves.ts';
import * as i64 from './i64.ts';

const N = 1024; // slots per region: a large frame, still L1-resident
const MASK = N - 1;
const buf = new ArrayBuffer(8 * 2 * N);
const S64 = new BigInt64Array(buf);
const S32 = new Int32Array(buf);

function fillSources(): void {
  let x = 0x9e3779b9;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 0;
  };
  for (let i = 0; i < 2 * N; i++) S32[i] = next();
}

// Operand slot choice shared by every kernel: a, b in the source region, d in the destination region.
// (Written out in each loop so that every kernel is one monomorphic function.)

type Kernel = (n: number) => void;

const kernels: Record<string, Record<string, Kernel>> = {
  move: {
    big: (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = S64[i & MASK]!; },
    inline: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = S32[a]!; S32[d + 1] = S32[a + 1]!;
      }
    },
  },
  add: {
    big: (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = BigInt.asIntN(64, S64[i & MASK]! + S64[(i * 7 + 3) & MASK]!); },
    'big-store': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = S64[i & MASK]! + S64[(i * 7 + 3) & MASK]!; },
    'big-call': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = i64.add(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = h.add(S32[a]!, S32[a + 1]!, S32[b]!, S32[b + 1]!); S32[d + 1] = h.HI[0]!;
      }
    },
    inline: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        const aLo = S32[a]!, bLo = S32[b]!, lo = (aLo + bLo) | 0;
        S32[d] = lo; S32[d + 1] = (S32[a + 1]! + S32[b + 1]! + (lo >>> 0 < aLo >>> 0 ? 1 : 0)) | 0;
      }
    },
  },
  mul: {
    big: (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = BigInt.asIntN(64, S64[i & MASK]! * S64[(i * 7 + 3) & MASK]!); },
    'big-store': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = S64[i & MASK]! * S64[(i * 7 + 3) & MASK]!; },
    'big-call': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = i64.mul(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = h.mul(S32[a]!, S32[a + 1]!, S32[b]!, S32[b + 1]!); S32[d + 1] = h.HI[0]!;
      }
    },
    inline: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        const aLo = S32[a]!, bLo = S32[b]!;
        const a0 = aLo & 0xffff, a1 = aLo >>> 16, b0 = bLo & 0xffff, b1 = bLo >>> 16;
        const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
        const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
        const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
        S32[d] = (mid << 16) | (p00 & 0xffff);
        S32[d + 1] = (carry + Math.imul(aLo, S32[b + 1]!) + Math.imul(S32[a + 1]!, bLo)) | 0;
      }
    },
  },
  xor: {
    big: (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = S64[i & MASK]! ^ S64[(i * 7 + 3) & MASK]!; },
    'big-call': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = i64.xor(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = h.xor(S32[a]!, S32[a + 1]!, S32[b]!, S32[b + 1]!); S32[d + 1] = h.HI[0]!;
      }
    },
    inline: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = S32[a]! ^ S32[b]!; S32[d + 1] = S32[a + 1]! ^ S32[b + 1]!;
      }
    },
  },
  shl: {
    big: (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = BigInt.asIntN(64, S64[i & MASK]! << (S64[(i * 7 + 3) & MASK]! & 63n)); },
    'big-store': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = S64[i & MASK]! << (S64[(i * 7 + 3) & MASK]! & 63n); },
    'big-call': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = i64.shl(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = h.shl(S32[a]!, S32[a + 1]!, S32[b]!); S32[d + 1] = h.HI[0]!;
      }
    },
    inline: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        const k = S32[b]! & 63, lo = S32[a]!, hi = S32[a + 1]!;
        if (k === 0) { S32[d] = lo; S32[d + 1] = hi; }
        else if (k < 32) { S32[d] = lo << k; S32[d + 1] = (hi << k) | (lo >>> (32 - k)); }
        else { S32[d] = 0; S32[d + 1] = lo << (k - 32); }
      }
    },
  },
  shr_u: {
    big: (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = BigInt.asIntN(64, BigInt.asUintN(64, S64[i & MASK]!) >> (S64[(i * 7 + 3) & MASK]! & 63n)); },
    'big-store': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = BigInt.asUintN(64, S64[i & MASK]!) >> (S64[(i * 7 + 3) & MASK]! & 63n); },
    'big-call': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = i64.shr_u(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = h.shr_u(S32[a]!, S32[a + 1]!, S32[b]!); S32[d + 1] = h.HI[0]!;
      }
    },
  },
  lt_s: {
    // i32 0/1 result written to the destination slot's low word (high word left as is, as an i32 slot would)
    big: (n) => { for (let i = 0; i < n; i++) S32[2 * (N + ((i * 13) & MASK))] = S64[i & MASK]! < S64[(i * 7 + 3) & MASK]! ? 1 : 0; },
    'big-call': (n) => { for (let i = 0; i < n; i++) S32[2 * (N + ((i * 13) & MASK))] = i64.lt_s(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK);
        S32[2 * (N + ((i * 13) & MASK))] = h.lt_s(S32[a]!, S32[a + 1]!, S32[b]!, S32[b + 1]!);
      }
    },
    inline: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK);
        const aHi = S32[a + 1]!, bHi = S32[b + 1]!;
        S32[2 * (N + ((i * 13) & MASK))] = aHi < bHi || (aHi === bHi && S32[a]! >>> 0 < S32[b]! >>> 0) ? 1 : 0;
      }
    },
  },
  lt_u: {
    big: (n) => { for (let i = 0; i < n; i++) S32[2 * (N + ((i * 13) & MASK))] = BigInt.asUintN(64, S64[i & MASK]!) < BigInt.asUintN(64, S64[(i * 7 + 3) & MASK]!) ? 1 : 0; },
    'big-call': (n) => { for (let i = 0; i < n; i++) S32[2 * (N + ((i * 13) & MASK))] = i64.lt_u(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK);
        S32[2 * (N + ((i * 13) & MASK))] = h.lt_u(S32[a]!, S32[a + 1]!, S32[b]!, S32[b + 1]!);
      }
    },
  },
  rotl: {
    'big-call': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = i64.rotl(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), b = 2 * ((i * 7 + 3) & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = h.rotl(S32[a]!, S32[a + 1]!, S32[b]!); S32[d + 1] = h.HI[0]!;
      }
    },
  },
  clz: {
    'big-call': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = i64.clz(S64[i & MASK]!); },
    halves: (n) => {
      for (let i = 0; i < n; i++) {
        const a = 2 * (i & MASK), d = 2 * (N + ((i * 13) & MASK));
        S32[d] = h.clz(S32[a]!, S32[a + 1]!); S32[d + 1] = h.HI[0]!;
      }
    },
  },
  div_u: {
    // bigint only: no halves version (64-bit division on halves is long code for a rare op)
    'big-call': (n) => { for (let i = 0; i < n; i++) S64[N + ((i * 13) & MASK)] = i64.div_u(S64[i & MASK]!, S64[(i * 7 + 3) & MASK]! | 1n); },
  },
  'i32.add (baseline)': {
    inline: (n) => {
      for (let i = 0; i < n; i++) S32[2 * (N + ((i * 13) & MASK))] = (S32[2 * (i & MASK)]! + S32[2 * ((i * 7 + 3) & MASK)]!) | 0;
    },
  },
};

// A switch-dispatched loop over a synthetic instruction stream (op, dest, a, b), closer to what the
// executor's hot loop looks like than one-op kernels: each case only ever sees one type, and values go
// slot -> op -> slot.
const OP_ADD = 0, OP_MUL = 1, OP_XOR = 2, OP_SHL = 3, OP_SHR_U = 4, OP_LT_S = 5, OP_LT_U = 6;
const OP_NAMES = ['add', 'mul', 'xor', 'shl', 'shr_u', 'lt_s', 'lt_u'];
const PROG_LEN = 4096;

/** An instruction stream: each entry is [op, d, a, b] with a, b source slots and d a destination slot. */
function program(mix: readonly number[]): Int32Array {
  const code = new Int32Array(4 * PROG_LEN);
  let x = 12345;
  for (let i = 0; i < PROG_LEN; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    code[4 * i] = mix[(x >>> 8) % mix.length]!;
    code[4 * i + 1] = N + ((x >>> 4) & MASK);
    code[4 * i + 2] = (x >>> 12) & MASK;
    code[4 * i + 3] = (x >>> 20) & MASK;
  }
  return code;
}

function runBig(code: Int32Array, n: number): void {
  for (let i = 0, pc = 0; i < n; i++, pc = (pc + 4) & (4 * PROG_LEN - 1)) {
    const d = code[pc + 1]!, a = code[pc + 2]!, b = code[pc + 3]!;
    switch (code[pc]) {
      case OP_ADD: S64[d] = BigInt.asIntN(64, S64[a]! + S64[b]!); break;
      case OP_MUL: S64[d] = BigInt.asIntN(64, S64[a]! * S64[b]!); break;
      case OP_XOR: S64[d] = S64[a]! ^ S64[b]!; break;
      case OP_SHL: S64[d] = BigInt.asIntN(64, S64[a]! << (S64[b]! & 63n)); break;
      case OP_SHR_U: S64[d] = BigInt.asIntN(64, BigInt.asUintN(64, S64[a]!) >> (S64[b]! & 63n)); break;
      case OP_LT_S: S32[2 * d] = S64[a]! < S64[b]! ? 1 : 0; break;
      case OP_LT_U: S32[2 * d] = i64.lt_u(S64[a]!, S64[b]!); break;
    }
  }
}

function runHalves(code: Int32Array, n: number): void {
  for (let i = 0, pc = 0; i < n; i++, pc = (pc + 4) & (4 * PROG_LEN - 1)) {
    const d = 2 * code[pc + 1]!, a = 2 * code[pc + 2]!, b = 2 * code[pc + 3]!;
    switch (code[pc]) {
      case OP_ADD: {
        const aLo = S32[a]!, lo = (aLo + S32[b]!) | 0;
        S32[d] = lo; S32[d + 1] = (S32[a + 1]! + S32[b + 1]! + (lo >>> 0 < aLo >>> 0 ? 1 : 0)) | 0;
        break;
      }
      case OP_MUL: S32[d] = h.mul(S32[a]!, S32[a + 1]!, S32[b]!, S32[b + 1]!); S32[d + 1] = h.HI[0]!; break;
      case OP_XOR: S32[d] = S32[a]! ^ S32[b]!; S32[d + 1] = S32[a + 1]! ^ S32[b + 1]!; break;
      case OP_SHL: S32[d] = h.shl(S32[a]!, S32[a + 1]!, S32[b]!); S32[d + 1] = h.HI[0]!; break;
      case OP_SHR_U: S32[d] = h.shr_u(S32[a]!, S32[a + 1]!, S32[b]!); S32[d + 1] = h.HI[0]!; break;
      case OP_LT_S: S32[d] = h.lt_s(S32[a]!, S32[a + 1]!, S32[b]!, S32[b + 1]!); break;
      case OP_LT_U: S32[d] = h.lt_u(S32[a]!, S32[a + 1]!, S32[b]!, S32[b + 1]!); break;
    }
  }
}

/** Per-op choice over the same aliased buffer: bigint where V8 lowers it to int64, halves for the rest. */
function runHybrid(code: Int32Array, n: number): void {
  for (let i = 0, pc = 0; i < n; i++, pc = (pc + 4) & (4 * PROG_LEN - 1)) {
    const d = code[pc + 1]!, a = code[pc + 2]!, b = code[pc + 3]!;
    switch (code[pc]) {
      case OP_ADD: S64[d] = BigInt.asIntN(64, S64[a]! + S64[b]!); break;
      case OP_MUL: S64[d] = BigInt.asIntN(64, S64[a]! * S64[b]!); break;
      case OP_XOR: S64[d] = S64[a]! ^ S64[b]!; break;
      case OP_SHL: S32[2 * d] = h.shl(S32[2 * a]!, S32[2 * a + 1]!, S32[2 * b]!); S32[2 * d + 1] = h.HI[0]!; break;
      case OP_SHR_U: S32[2 * d] = h.shr_u(S32[2 * a]!, S32[2 * a + 1]!, S32[2 * b]!); S32[2 * d + 1] = h.HI[0]!; break;
      case OP_LT_S: S32[2 * d] = S64[a]! < S64[b]! ? 1 : 0; break;
      case OP_LT_U: S32[2 * d] = h.lt_u(S32[2 * a]!, S32[2 * a + 1]!, S32[2 * b]!, S32[2 * b + 1]!); break;
    }
  }
}

const MIXES: [string, number[]][] = [
  ...OP_NAMES.map((name, op): [string, number[]] => [`only ${name}`, [op]]),
  // A guess at compiled-Zig i64 traffic: mostly add/compare/xor, some mul, few shifts.
  ['mix (no shifts)', [OP_ADD, OP_ADD, OP_ADD, OP_XOR, OP_MUL, OP_LT_S, OP_LT_U]],
  ['mix (1 in 8 shifts)', [OP_ADD, OP_ADD, OP_ADD, OP_XOR, OP_MUL, OP_LT_S, OP_LT_U, OP_SHL, OP_ADD, OP_ADD, OP_ADD, OP_XOR, OP_MUL, OP_LT_S, OP_LT_U, OP_SHR_U]],
];

function dispatchBench(iters: number, runs: number): void {
  console.log(`\nswitch-dispatched stream of ${PROG_LEN} instructions, ns per instruction`);
  console.log(['stream'.padEnd(22), 'bigint'.padStart(10), 'halves'.padStart(10), 'hybrid'.padStart(10), '  big/halves', '  big/hybrid'].join(''));
  for (const [name, mix] of MIXES) {
    const code = program(mix);
    S64.fill(0n, N, 2 * N);
    runBig(code, 4 * PROG_LEN);
    const want = S64.slice(N, 2 * N);
    S64.fill(0n, N, 2 * N);
    runHalves(code, 4 * PROG_LEN);
    if (!sameBits(want, S64.slice(N, 2 * N))) throw new Error(`${name}: halves disagree with bigint`);
    S64.fill(0n, N, 2 * N);
    runHybrid(code, 4 * PROG_LEN);
    if (!sameBits(want, S64.slice(N, 2 * N))) throw new Error(`${name}: hybrid disagrees with bigint`);
    const big = timeNsPerOp((n) => runBig(code, n), iters, runs);
    const halves = timeNsPerOp((n) => runHalves(code, n), iters, runs);
    const hybrid = timeNsPerOp((n) => runHybrid(code, n), iters, runs);
    const cols = [big, halves, hybrid].map((v) => v.toFixed(2).padStart(10));
    const ratios = [halves, hybrid].map((v) => `${(big / v).toFixed(1)}x`.padStart(12));
    console.log([name.padEnd(22), ...cols, ...ratios].join(''));
  }
}

function destSnapshot(kernel: Kernel): BigInt64Array {
  S64.fill(0n, N, 2 * N);
  kernel(4 * N);
  return S64.slice(N, 2 * N);
}

function sameBits(x: BigInt64Array, y: BigInt64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function timeNsPerOp(kernel: Kernel, iters: number, runs: number): number {
  kernel(iters); // warm-up: let the optimiser see the loop
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    kernel(iters);
    best = Math.min(best, performance.now() - t0);
  }
  return (best * 1e6) / iters;
}

const ITERS = Number(process.argv[2] ?? 5_000_000);
const RUNS = Number(process.argv[3] ?? 7);
fillSources();
console.log(`node ${process.version}, ${ITERS} ops per run, best of ${RUNS} runs, ns per op (lower is better)`);
const VARIANTS = ['big', 'big-store', 'big-call', 'halves', 'inline'];
console.log(['op'.padEnd(20), ...VARIANTS.map((v) => v.padStart(10)), '  big/inline', '  big/halves'].join(''));
for (const [op, variants] of Object.entries(kernels)) {
  const reference = variants.big ? destSnapshot(variants.big) : undefined;
  const ns: Record<string, number> = {};
  for (const [name, kernel] of Object.entries(variants)) {
    if (reference && !sameBits(reference, destSnapshot(kernel))) throw new Error(`${op}/${name} disagrees with the bigint result`);
    ns[name] = timeNsPerOp(kernel, ITERS, RUNS);
  }
  const cell = (v: string): string => (ns[v] === undefined ? '-' : ns[v]!.toFixed(2)).padStart(10);
  const ratio = (a: string, b: string): string => (ns[a] !== undefined && ns[b] !== undefined ? `${(ns[a]! / ns[b]!).toFixed(1)}x` : '-').padStart(12);
  console.log([op.padEnd(20), ...VARIANTS.map(cell), ratio('big', 'inline'), ratio('big', 'halves')].join(''));
}
dispatchBench(ITERS, RUNS);
