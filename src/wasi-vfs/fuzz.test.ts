// Property tests (fast-check): resolution never leaves the base directory whatever the tree and path;
// mutated archives load or fail with ArchiveError, never anything else; random syscalls with random
// arguments answer an errno (or ProcExit), never a raw JS error.

import { gzipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WasiErrno } from './constants.ts';
import { ArchiveError, ProcExit } from './errors.ts';
import { MemFS, type DirNode, type Node } from './fs.ts';
import { WASI_FUNCTIONS } from './host.ts';
import { resolve } from './path.ts';
import { loadArchive } from './tar-loader.ts';
import { Harness } from './test-harness.ts';

const component = fc.constantFrom('a', 'b', 'c', '.', '..', '', 'l1', 'l2', 'x');
const relPath = fc.array(component, { minLength: 1, maxLength: 8 }).map((cs) => cs.join('/'));
const target = fc.oneof(relPath, relPath.map((p) => `/${p}`), fc.constant('../../..'));

function inside(node: Node, sandbox: DirNode): boolean {
  if (node.kind !== 'dir') {
    // A non-directory is inside when some directory inside holds it.
    const holds = (d: DirNode): boolean => [...d.entries.values()].some((n) => n === node || (n.kind === 'dir' && holds(n)));
    return holds(sandbox);
  }
  for (let d: DirNode | null = node; d; d = d.parent) if (d === sandbox) return true;
  return false;
}

describe('resolution stays inside (property)', () => {
  it('any tree of dirs and symlinks, any path: the result is inside the base or a WasiErrno', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('.', 'a', 'a/b', 'c'), fc.constantFrom('l1', 'l2', 'x'), target), { maxLength: 6 }), relPath, fc.boolean(), (links, path, follow) => {
        const fs = new MemFS({ now: () => 0n });
        const outside = fs.mkdir(fs.root, 'outside');
        fs.createFile(outside, 'x');
        const sandbox = fs.mkdir(fs.root, 'sandbox');
        const a = fs.mkdir(sandbox, 'a');
        fs.mkdir(a, 'b');
        fs.mkdir(sandbox, 'c');
        for (const [dir, name, t] of links) {
          let d: DirNode = sandbox;
          for (const c of dir.split('/')) if (c !== '.') d = d.entries.get(c) as DirNode;
          if (!d.entries.has(name)) fs.symlink(d, name, t);
        }
        try {
          const r = resolve(sandbox, path, follow);
          expect(inside(r.parent, sandbox)).toBe(true);
          if (r.node) expect(inside(r.node, sandbox)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(WasiErrno);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('archive mutation (property)', () => {
  const base = (): Uint8Array => {
    // A small valid ustar archive written by hand: one directory and one file.
    const enc = new TextEncoder();
    const hdr = (name: string, type: string, size: number): Uint8Array => {
      const h = new Uint8Array(512);
      h.set(enc.encode(name), 0);
      h.set(enc.encode('0000644\0'), 100);
      h.set(enc.encode(`${size.toString(8).padStart(11, '0')}\0`), 124);
      h.set(enc.encode('00000000000\0'), 136);
      h.set(enc.encode(type), 156);
      h.set(enc.encode('ustar\0' + '00'), 257);
      h.set(enc.encode('        '), 148);
      const sum = h.reduce((s, b) => s + b, 0);
      h.set(enc.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
      return h;
    };
    const body = new Uint8Array(512);
    body.set(enc.encode('hello'));
    const out = new Uint8Array(512 * 5);
    out.set(hdr('d/', '5', 0), 0);
    out.set(hdr('d/f', '0', 5), 512);
    out.set(body, 1024);
    return out;
  };

  it('flipped bytes, truncation and gzip wrapping end in a load or an ArchiveError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(512 * 5 - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat(512 * 5), { nil: undefined }),
        fc.boolean(),
        async (flips, cut, gz) => {
          let bytes = base();
          for (const [i, v] of flips) bytes[i] = v;
          if (cut !== undefined) bytes = bytes.subarray(0, cut);
          if (gz) {
            bytes = gzipSync(bytes);
            if (cut !== undefined) bytes = bytes.subarray(0, Math.max(0, bytes.length - (cut % 7)));
          }
          try {
            await loadArchive(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(ArchiveError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('random syscalls (property)', () => {
  const arg = fc.oneof(
    fc.integer({ min: -2, max: 8 }),
    fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  );
  it('every call answers an errno or ProcExit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...WASI_FUNCTIONS), fc.array(arg, { minLength: 9, maxLength: 9 }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n })), { minLength: 1, maxLength: 12 }), (calls) => {
        const h = new Harness();
        h.fs.createFile(h.fs.root, 'f', new Uint8Array(100));
        h.fs.mkdir(h.fs.root, 'd');
        const imports = h.host.imports().wasi_snapshot_preview1 ?? {};
        for (const [name, ints, big] of calls) {
          const f = imports[name];
          if (f?.kind !== 'host') throw new Error(name);
          const args = f.type.params.map((t, i) => (t === 0x7e ? big : ints[i]));
          try {
            const r = f.fn(args, { module: 'wasi_snapshot_preview1', name });
            expect(typeof r).toBe('number');
          } catch (e) {
            expect(e).toBeInstanceOf(ProcExit);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
