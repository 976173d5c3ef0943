import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deterministicPolicy } from '../policy/schema.ts';
import { OFLAGS } from './constants.ts';
import { MemFS } from './fs.ts';
import { Harness, PREOPEN_FD } from './test-harness.ts';

// A small syscall language over a few names and fd numbers, so random scripts collide: opens of the same
// file, writes through an fd whose name was unlinked, renames over open files, reads of seeded random and
// of the fixed clock, stdin reads.
const NAMES = ['a', 'b', 'd', 'd/x'];
type Op =
  | { op: 'create' | 'open' | 'unlink' | 'mkdir' | 'rmdir' | 'stat'; name: number }
  | { op: 'write'; fd: number; text: string }
  | { op: 'read' | 'close' | 'seek0'; fd: number }
  | { op: 'rename'; from: number; to: number }
  | { op: 'random' | 'clock' | 'stdin' };

const fdArb = fc.integer({ min: 4, max: 7 });
const nameArb = fc.integer({ min: 0, max: NAMES.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('create', 'open', 'unlink', 'mkdir', 'rmdir', 'stat'), name: nameArb }) as fc.Arbitrary<Op>,
  fc.record({ op: fc.constant('write'), fd: fdArb, text: fc.string({ maxLength: 12 }) }) as fc.Arbitrary<Op>,
  fc.record({ op: fc.constantFrom('read', 'close', 'seek0'), fd: fdArb }) as fc.Arbitrary<Op>,
  fc.record({ op: fc.constant('rename'), from: nameArb, to: nameArb }) as fc.Arbitrary<Op>,
  fc.record({ op: fc.constantFrom('random', 'clock', 'stdin') }) as fc.Arbitrary<Op>,
);

/** Run one op; what the guest would observe (errno and bytes). */
function step(h: Harness, o: Op): string {
  const name = (i: number) => NAMES[i];
  switch (o.op) {
    case 'create':
      return String(h.tryOpen(PREOPEN_FD, name(o.name), { oflags: OFLAGS.creat }).errno);
    case 'open': {
      const r = h.tryOpen(PREOPEN_FD, name(o.name));
      return `${r.errno}:${r.fd}`;
    }
    case 'unlink':
      return String(h.pathCall('path_unlink_file', PREOPEN_FD, name(o.name)));
    case 'mkdir':
      return String(h.pathCall('path_create_directory', PREOPEN_FD, name(o.name)));
    case 'rmdir':
      return String(h.pathCall('path_remove_directory', PREOPEN_FD, name(o.name)));
    case 'stat': {
      const [p, l] = h.str(name(o.name));
      const out = h.alloc(64);
      const e = h.call('path_filestat_get', PREOPEN_FD, 1, p, l, out);
      return `${e}:${Array.from(h.bytes(out, 64)).join(',')}`;
    }
    case 'write':
      try {
        return String(h.write(o.fd, o.text));
      } catch (e) {
        return (e as Error).message;
      }
    case 'read':
      try {
        return Array.from(h.read(o.fd, 16)).join(',');
      } catch (e) {
        return (e as Error).message;
      }
    case 'close':
      return String(h.call('fd_close', o.fd));
    case 'seek0': {
      const out = h.alloc(8);
      return String(h.call('fd_seek', o.fd, 0n, 0, out));
    }
    case 'rename': {
      const [p, l] = h.str(name(o.from));
      const [q, m] = h.str(name(o.to));
      return String(h.call('path_rename', PREOPEN_FD, p, l, PREOPEN_FD, q, m));
    }
    case 'random': {
      const p = h.alloc(8);
      return `${h.call('random_get', p, 8)}:${Array.from(h.bytes(p, 8)).join(',')}`;
    }
    case 'clock': {
      const p = h.alloc(8);
      return `${h.call('clock_time_get', 0, 1n, p)}:${h.u64(p)}`;
    }
    case 'stdin':
      return Array.from(h.read(0, 3)).join(',');
  }
}

const stdin = new TextEncoder().encode('the standard input of the guest');
const harness = () => new Harness({ fs: new MemFS({ now: () => 0n }), policy: deterministicPolicy(3), stdin, preopens: [{ guest: '.' }] });
const run = (h: Harness, ops: Op[]) => ops.map((o) => step(h, o));

describe('host snapshots', () => {
  it('restore then the same syscalls gives what the original run gave (same host, fresh host), and trace', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(opArb, { maxLength: 40 }), (before, after) => {
        const a = harness();
        run(a, before);
        const snap = a.host.snapshot();
        const want = run(a, after);
        const wantTrace = a.host.trace!.toJsonl();
        const wantFs = JSON.stringify([...a.host.ctx.fds.keys()]) + a.fileText('a') + a.fileText('b');
        for (const h of [a, harness()]) {
          h.host.restore(snap);
          expect(run(h, after)).toEqual(want);
          expect(h.host.trace!.toJsonl()).toBe(wantTrace);
          expect(JSON.stringify([...h.host.ctx.fds.keys()]) + h.fileText('a') + h.fileText('b')).toBe(wantFs);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('file bytes are shared copy-on-write: writes after a snapshot do not reach it', () => {
    const h = harness();
    const fd = h.open(PREOPEN_FD, 'a', { oflags: OFLAGS.creat });
    h.write(fd, 'one');
    const snap = h.host.snapshot();
    const node = snap.root.entries.get('a');
    const live = h.fs.root.entries.get('a');
    if (node?.kind !== 'file' || live?.kind !== 'file') throw new Error('expected file a in the snapshot and the live tree');
    expect(node).not.toBe(live);
    expect(node.data.backing).toBe(live.data.backing);
    h.write(fd, 'two');
    expect(h.fileText('a')).toBe('onetwo');
    h.host.restore(snap);
    expect(h.fileText('a')).toBe('one');
    h.write(fd, '!');
    expect(h.fileText('a')).toBe('one!');
    h.host.restore(snap);
    expect(h.fileText('a')).toBe('one');
  });
});
