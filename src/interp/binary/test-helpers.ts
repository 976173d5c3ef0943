// Test-only helpers: hand-assembling binaries and compiling WAT with the npm `wabt` package.
// Not exported from index.ts.

import { DecodeError } from '../errors.ts';

type Bytes = number[];

export function uleb(v: number | bigint): Bytes {
  let x = BigInt(v);
  const out: Bytes = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
  return out;
}

export function sleb(v: number | bigint): Bytes {
  let x = BigInt(v);
  const out: Bytes = [];
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    if ((x === 0n && !(b & 0x40)) || (x === -1n && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A name: length-prefixed UTF-8. */
export function str(s: string): Bytes {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** vec(x) from already-encoded items. */
export function vec(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, content: Bytes): Bytes {
  return [id, ...uleb(content.length), ...content];
}

export const HEADER: Bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function mod(...sections: Bytes[]): Uint8Array {
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

/** Type section with one `[] -> []` type, function section with one function of it, code with `body`. */
export function oneFunc(body: Bytes, opts: { locals?: Bytes[]; before?: Bytes[]; after?: Bytes[] } = {}): Uint8Array {
  const code = [...vec(opts.locals ?? []), ...body];
  return mod(
    section(1, vec([[0x60, 0x00, 0x00]])),
    section(3, vec([[0x00]])),
    ...(opts.before ?? []),
    section(10, vec([[...uleb(code.length), ...code]])),
    ...(opts.after ?? []),
  );
}

/**
 * A code-heavy module of about `targetBytes`: functions of 4 i32 locals whose bodies mix locals,
 * constants, loads/stores, calls, blocks, loops and ifs (a deterministic pseudo-random sequence).
 */
export function syntheticModule(targetBytes: number): Uint8Array {
  const bodies: Bytes[] = [];
  let total = 0;
  let x = 1;
  while (total < targetBytes) {
    const b: Bytes = [0x01, 0x04, 0x7f];
    for (let i = 0; i < 400; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      switch (x % 8) {
        case 0: b.push(0x20, x & 3, 0x41, ...sleb((x >> 8) - 1000), 0x6a, 0x21, x & 3); break;
        case 1: b.push(0x20, 0, 0x28, 2, ...uleb(x % 4096), 0x21, 1); break;
        case 2: b.push(0x02, 0x40, 0x20, 1, 0x0d, 0, 0x0b); break;
        case 3: b.push(0x20, 2, 0x20, 3, 0x36, 2, ...uleb(x % 100)); break;
        case 4: b.push(0x42, ...sleb(BigInt(x) * 3n), 0x1a); break;
        case 5: b.push(0x10, 0); break;
        case 6: b.push(0x03, 0x40, 0x20, 0, 0x45, 0x0d, 0, 0x0b); break;
        case 7: b.push(0x20, 1, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b); break;
      }
    }
    b.push(0x0b);
    bodies.push([...uleb(b.length), ...b]);
    total += b.length;
  }
  return mod(
    section(1, vec([[0x60, 0x00, 0x00]])),
    section(3, vec(bodies.map(() => [0x00]))),
    section(5, vec([[0x00, 0x01]])),
    section(10, vec(bodies)),
  );
}

/** Runs `f` and returns the DecodeError it throws (fails the caller's expectation otherwise). */
export function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError, but decoding succeeded');
}

export const WABT_FEATURES = {
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  sign_extension: true,
  sat_float_to_int: true,
  mutable_globals: true,
};

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;
let wabtPromise: Promise<Wabt> | undefined;

/** Compiles WAT to a binary with the name section included. */
export async function wat(src: string): Promise<Uint8Array> {
  wabtPromise ??= import('wabt').then((m) => m.default());
  const wabt = await wabtPromise;
  const m = wabt.parseWat('t.wat', src, WABT_FEATURES);
  try {
    return m.toBinary({ write_debug_names: true }).buffer;
  } finally {
    m.destroy();
  }
}
