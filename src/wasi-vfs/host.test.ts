import { describe, expect, it } from 'vitest';
import { interpEngine } from '../interp/engine.ts';
import { nativeEngine } from '../interp/native/index.ts';
import { parsePolicy } from '../policy/schema.ts';
import { E, EVENTTYPE, FDFLAGS, OFLAGS, R, WHENCE } from './constants.ts';
import { ProcExit } from './errors.ts';
import { MemFS } from './fs.ts';
import { runWasi } from './runner.ts';
import { Harness, PREOPEN_FD as P } from './test-harness.ts';
import { MAX_FDS } from './context.ts';
import { Trace } from './trace.ts';

const fixed = parsePolicy({ version: 1, default: 'allow', env: { allow: ['*'] }, clock: { mode: 'fixed', epochNs: '1000000', stepNs: '10' }, random: { mode: 'seeded', seed: 3 } });

describe('args and environment', () => {
  it('sizes are UTF-8 bytes including NULs', () => {
    const h = new Harness({ args: ['prog', 'héllo', '日本'] });
    const a = h.alloc(4);
    const b = h.alloc(4);
    expect(h.call('args_sizes_get', a, b)).toBe(E.success);
    expect(h.u32(a)).toBe(3);
    expect(h.u32(b)).toBe(5 + 7 + 7);
    const argv = h.alloc(12);
    const buf = h.alloc(19);
    expect(h.call('args_get', argv, buf)).toBe(E.success);
    expect(new TextDecoder().decode(h.bytes(h.u32(argv + 4), 6))).toBe('héllo');
  });

  it('variables the policy hides are simply absent', () => {
    const policy = parsePolicy({ version: 1, env: { allow: ['ZIG_*'] } });
    const h = new Harness({ policy, env: { ZIG_LIB: '/lib', AWS_SECRET: 'x' } });
    const n = h.alloc(4);
    const size = h.alloc(4);
    h.call('environ_sizes_get', n, size);
    expect(h.u32(n)).toBe(1);
    const envp = h.alloc(4);
    const buf = h.alloc(h.u32(size));
    h.call('environ_get', envp, buf);
    expect(new TextDecoder().decode(h.bytes(buf, h.u32(size)))).toBe('ZIG_LIB=/lib\0');
    expect(h.host.trace?.records[0].decisions).toEqual([
      { op: 'env', path: 'ZIG_LIB', verdict: 'allow', rule: 'env.allow[0]' },
      { op: 'env', path: 'AWS_SECRET', verdict: 'deny', rule: 'env.default' },
    ]);
    expect(h.host.envDecisions).toEqual([
      { name: 'ZIG_LIB', verdict: 'allow', rule: 'env.allow[0]' },
      { name: 'AWS_SECRET', verdict: 'deny', rule: 'env.default' },
    ]);
  });
});

describe('clocks, random, poll_oneoff', () => {
  it('the fixed clock advances by its step on every read', () => {
    const h = new Harness({ policy: fixed });
    const t = h.alloc(8);
    h.call('clock_time_get', 0, 0n, t);
    const a = h.u64(t);
    h.call('clock_time_get', 0, 0n, t);
    expect(a).toBe(1_000_010n);
    expect(h.u64(t)).toBe(1_000_020n);
    expect(h.call('clock_time_get', 9, 0n, t)).toBe(E.inval);
    expect(h.call('clock_res_get', 1, t)).toBe(E.success);
    expect(h.u64(t)).toBe(10n);
  });

  it('seeded random repeats for the same seed and differs for another', () => {
    const bytesFor = (seed: number): string => {
      const h = new Harness({ policy: parsePolicy({ version: 1, random: { mode: 'seeded', seed } }) });
      const p = h.alloc(32);
      h.call('random_get', p, 32);
      return Buffer.from(h.bytes(p, 32)).toString('hex');
    };
    expect(bytesFor(1)).toBe(bytesFor(1));
    expect(bytesFor(1)).not.toBe(bytesFor(2));
  });

  const sub = (h: Harness, base: number, i: number, userdata: bigint, tag: number, a: number, timeout = 0n): void => {
    const dv = new DataView(h.buf);
    const p = base + i * 48;
    dv.setBigUint64(p, userdata, true);
    dv.setUint8(p + 8, tag);
    dv.setUint32(p + 16, a, true);
    dv.setBigUint64(p + 24, timeout, true);
  };

  it('a clock subscription sleeps in virtual time on the fixed clock', () => {
    const h = new Harness({ policy: fixed });
    const subs = h.alloc(48);
    const evs = h.alloc(32);
    const n = h.alloc(4);
    sub(h, subs, 0, 77n, EVENTTYPE.clock, 1, 5_000n);
    expect(h.call('poll_oneoff', subs, evs, 1, n)).toBe(E.success);
    expect(h.u32(n)).toBe(1);
    expect(h.u64(evs)).toBe(77n);
    const t = h.alloc(8);
    h.call('clock_time_get', 1, 0n, t);
    expect(h.u64(t)).toBeGreaterThanOrEqual(5_000n);
  });

  it('ready fds win over clocks; bad fds report badf in their event', () => {
    const h = new Harness();
    h.fs.createFile(h.fs.root, 'f', new Uint8Array(10));
    const fd = h.open(P, 'f');
    const subs = h.alloc(3 * 48);
    const evs = h.alloc(3 * 32);
    const n = h.alloc(4);
    sub(h, subs, 0, 1n, EVENTTYPE.clock, 1, 1_000_000_000n);
    sub(h, subs, 1, 2n, EVENTTYPE.fd_read, fd);
    sub(h, subs, 2, 3n, EVENTTYPE.fd_write, 99);
    expect(h.call('poll_oneoff', subs, evs, 3, n)).toBe(E.success);
    expect(h.u32(n)).toBe(2);
    const dv = new DataView(h.buf);
    expect(h.u64(evs)).toBe(2n);
    expect(h.u64(evs + 16)).toBe(10n);
    expect(h.u64(evs + 32)).toBe(3n);
    expect(dv.getUint16(evs + 32 + 8, true)).toBe(E.badf);
    expect(h.call('poll_oneoff', subs, evs, 0, n)).toBe(E.inval);
    // An already expired clock is reported together with the ready fd.
    sub(h, subs, 0, 9n, EVENTTYPE.clock, 1, 0n);
    expect(h.call('poll_oneoff', subs, evs, 2, n)).toBe(E.success);
    expect([h.u64(evs), h.u64(evs + 32)]).toEqual([2n, 9n]);
  });
});

describe('files and directories', () => {
  it('append mode, seek, tell, pread and pwrite', () => {
    const h = new Harness();
    const fd = h.open(P, 'log', { oflags: OFLAGS.creat, fdflags: FDFLAGS.append });
    h.write(fd, 'ab');
    const off = h.alloc(8);
    expect(h.call('fd_seek', fd, 0n, WHENCE.set, off)).toBe(E.success);
    h.write(fd, 'cd');
    expect(h.fileText('log')).toBe('abcd');
    expect(h.call('fd_seek', fd, -1n, WHENCE.end, off)).toBe(E.success);
    expect(h.u64(off)).toBe(3n);
    expect(h.call('fd_seek', fd, -10n, WHENCE.cur, off)).toBe(E.inval);
    expect(h.call('fd_tell', fd, off)).toBe(E.success);
    expect(h.u64(off)).toBe(3n);
    expect(h.call('fd_seek', 1, 0n, WHENCE.set, off)).toBe(E.notcapable);
  });

  it('fd_readdir pages through entries with cookies, in sorted order', () => {
    const h = new Harness();
    for (const n of ['zeta', 'alpha', 'mid']) h.fs.createFile(h.fs.root, n);
    const names: string[] = [];
    let cookie = 0n;
    const buf = h.alloc(40);
    const used = h.alloc(4);
    for (let guard = 0; guard < 50; guard++) {
      expect(h.call('fd_readdir', P, buf, 40, cookie, used)).toBe(E.success);
      const u = h.u32(used);
      const dv = new DataView(h.buf);
      if (u < 24) break;
      const namlen = dv.getUint32(buf + 16, true);
      if (24 + namlen > u) {
        // The entry did not fit; a guest retries with a larger buffer. Read it with one here.
        const big = h.alloc(256);
        h.call('fd_readdir', P, big, 256, cookie, used);
        names.push(new TextDecoder().decode(h.bytes(big + 24, new DataView(h.buf).getUint32(big + 16, true))));
        cookie = new DataView(h.buf).getBigUint64(big, true);
        continue;
      }
      names.push(new TextDecoder().decode(h.bytes(buf + 24, namlen)));
      cookie = dv.getBigUint64(buf, true);
    }
    expect(names).toEqual(['.', '..', 'alpha', 'mid', 'zeta']);
  });

  it('fd_prestat_dir_name needs room for the whole name', () => {
    const h = new Harness({ preopens: [{ guest: '/package' }] });
    const p = h.alloc(16);
    expect(h.call('fd_prestat_dir_name', P, p, 3)).toBe(E.nametoolong);
    expect(h.call('fd_prestat_dir_name', P, p, 8)).toBe(E.success);
    expect(h.call('fd_prestat_get', 1, p)).toBe(E.badf);
  });

  it('the fd table is bounded: mfile past MAX_FDS', () => {
    const h = new Harness();
    h.fs.createFile(h.fs.root, 'f');
    let last = E.success;
    for (let i = 0; i < MAX_FDS + 1 && last === E.success; i++) last = h.tryOpen(P, 'f').errno;
    expect(last).toBe(E.mfile);
  });

  it('fstflags that set a time and its _now variant are inval', () => {
    const h = new Harness();
    h.fs.createFile(h.fs.root, 'f');
    const fd = h.open(P, 'f');
    expect(h.call('fd_filestat_set_times', fd, 5n, 0n, 0b11)).toBe(E.inval);
    expect(h.call('fd_filestat_set_times', fd, 5n, 6n, 0b101)).toBe(E.success);
  });

  it('sockets: badf for a bad fd, notsock for any real fd', () => {
    const h = new Harness();
    expect(h.call('sock_shutdown', 42, 1)).toBe(E.badf);
    expect(h.call('sock_shutdown', 1, 1)).toBe(E.notsock);
    expect(h.call('sock_accept', P, 0, h.alloc(4))).toBe(E.notsock);
  });

  it('proc_exit throws ProcExit with the code', () => {
    const h = new Harness();
    expect(() => h.call('proc_exit', 3)).toThrow(ProcExit);
  });
});

describe('trace', () => {
  it('records fds with paths, flags as names, decisions with rules, and a bounded data copy', () => {
    const trace = new Trace({ dataBytes: 4 });
    const policy = parsePolicy({ version: 1, default: 'allow', fs: [{ id: 'ro-src', ops: ['write', 'create'], paths: ['src/**'], verdict: 'deny' }] });
    const h = new Harness({ trace, policy });
    h.fs.mkdir(h.fs.root, 'src');
    const fd = h.open(P, 'out.txt', { oflags: OFLAGS.creat | OFLAGS.trunc, rights: R.fd_write });
    h.write(fd, 'hello world');
    expect(h.tryOpen(P, 'src/x', { oflags: OFLAGS.creat }).errno).toBe(E.acces);
    const [open, write, denied] = trace.records;
    expect(open).toMatchObject({
      seq: 0, fn: 'path_open', errno: 'success', out: { fd },
      args: { fd: { fd: P, path: '/' }, path: 'out.txt', oflags: ['creat', 'trunc'], rights: ['fd_write'] },
      decisions: [{ op: 'create', path: 'out.txt', verdict: 'allow', rule: 'default' }, { op: 'write', path: 'out.txt', verdict: 'allow', rule: 'default' }],
    });
    expect(write).toMatchObject({ fn: 'fd_write', args: { fd: { fd, path: '/out.txt' } }, bytes: 11, data: { text: 'hell' }, dataTruncated: true });
    expect(denied).toMatchObject({ errno: 'acces', decisions: [{ op: 'create', path: 'src/x', verdict: 'deny', rule: 'ro-src' }] });
  });

  it('past the memory cap records are dropped and counted, denials are kept, and JSONL says so', () => {
    const trace = new Trace({ maxBytes: 600 });
    const policy = parsePolicy({ version: 1, default: 'allow', fs: [{ id: 'deny-x', ops: ['create'], paths: ['x'], verdict: 'deny' }] });
    const h = new Harness({ trace, policy });
    const t = h.alloc(8);
    for (let i = 0; i < 50; i++) h.call('clock_time_get', 0, 0n, t);
    h.tryOpen(P, 'x', { oflags: OFLAGS.creat });
    expect(trace.total).toBe(51);
    expect(trace.records.length).toBeLessThan(51);
    expect(trace.dropped).toBe(51 - trace.records.length);
    expect(trace.records.at(-1)?.fn).toBe('path_open');
    expect(trace.counts.get('clock_time_get')).toBe(50);
    const last = JSON.parse(trace.toJsonl().trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(last).toEqual({ truncated: true, dropped: trace.dropped, total: 51 });
  });
});

describe('policy "ask"', () => {
  const WAT = `(module
    (import "wasi_snapshot_preview1" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "newdir")
    (func (export "_start") (call $exit (call $mkdir (i32.const 3) (i32.const 16) (i32.const 6)))))`;
  const policy = parsePolicy({ version: 1, default: 'allow', fs: [{ id: 'confirm-create', ops: ['create'], paths: ['**'], verdict: 'ask' }] });
  const bytes = async (): Promise<Uint8Array> => {
    const wabt = await (await import('wabt')).default();
    return new Uint8Array(wabt.parseWat('ask.wat', WAT).toBinary({}).buffer);
  };

  it('suspends the interp engine and resumes with the answer', async () => {
    for (const answer of ['allow', 'deny'] as const) {
      const fs = new MemFS();
      const asked: string[] = [];
      const r = runWasi(interpEngine, await bytes(), { fs, policy, onAsk: (q) => (asked.push(`${q.op} ${q.path} ${q.rule}`), answer) });
      expect(asked).toEqual(['create newdir confirm-create']);
      expect(r.exitCode).toBe(answer === 'allow' ? E.success : E.acces);
      expect(fs.root.entries.has('newdir')).toBe(answer === 'allow');
      const recs = r.host.trace?.records ?? [];
      expect(recs.map((x) => x.errno)).toEqual(['suspended', answer === 'allow' ? 'success' : 'acces', 'exit']);
      expect(recs[1].decisions?.[0].rule).toBe('confirm-create(asked)');
    }
  });

  it('falls back to askFallback on the native engine, which cannot pause', async () => {
    const fs = new MemFS();
    const r = runWasi(nativeEngine, await bytes(), { fs, policy });
    expect(r.exitCode).toBe(E.acces);
    expect(r.host.trace?.records[0].decisions?.[0]).toMatchObject({ verdict: 'deny', rule: 'confirm-create(askFallback)' });
  });
});

describe('learn mode through the host', () => {
  it('reports the minimal policy for what the guest did', () => {
    const h = new Harness({ policy: parsePolicy({ version: 1, mode: 'learn' }) });
    h.fs.mkdir(h.fs.root, 'src');
    h.fs.createFile(h.fs.root.entries.get('src') as never, 'a.zig');
    h.open(P, 'src/a.zig', { rights: R.fd_read });
    const fd = h.open(P, 'out', { oflags: OFLAGS.creat, rights: R.fd_write });
    h.write(fd, 'x');
    const learned = h.host.policyEngine.learned();
    expect(learned.fs.map((r) => [r.ops[0], r.paths])).toEqual([
      ['create', ['out']],
      ['read', ['src/a.zig']],
      ['write', ['out']],
    ]);
  });
});
