import { mkdtempSync, mkdirSync, readFileSync, readlinkSync, readdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRunArgs, runCommand, TRAP_EXIT } from './run.ts';

const MODULES = {
  argc: `(module
    (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (drop (call $sizes (i32.const 0) (i32.const 4))) (call $exit (i32.load (i32.const 0)))))`,
  trap: `(module (memory (export "memory") 1) (func (export "_start") unreachable))`,
  // Creates new.txt with "hi", deletes a.txt, then tries sub/esc/passwd through a host symlink that points
  // out of the folder; exits with that open's errno.
  fs: `(module
    (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_unlink_file" (func $unlink (param i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "new.txt")
    (data (i32.const 32) "a.txt")
    (data (i32.const 48) "sub/esc/passwd")
    (data (i32.const 64) "hi")
    (func (export "_start")
      (drop (call $open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 7) (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 100)))
      (i32.store (i32.const 200) (i32.const 64))
      (i32.store (i32.const 204) (i32.const 2))
      (drop (call $write (i32.load (i32.const 100)) (i32.const 200) (i32.const 1) (i32.const 208)))
      (drop (call $unlink (i32.const 3) (i32.const 32) (i32.const 5)))
      (call $exit (call $open (i32.const 3) (i32.const 1) (i32.const 48) (i32.const 14) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 100)))))`,
};

let dir: string;
const wasm: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbuild-run-'));
  const wabt = await (await import('wabt')).default();
  for (const [name, src] of Object.entries(MODULES)) {
    wasm[name] = join(dir, `${name}.wasm`);
    writeFileSync(wasm[name], wabt.parseWat(`${name}.wat`, src).toBinary({}).buffer);
  }
});

afterEach(() => vi.restoreAllMocks());

function capture(): { err: () => string } {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return { err: () => lines.join('\n') };
}

function hostFolder(): string {
  const host = mkdtempSync(join(dir, 'pkg-'));
  writeFileSync(join(host, 'a.txt'), 'keep me');
  mkdirSync(join(host, 'sub'));
  symlinkSync('../../../../../../../etc', join(host, 'sub', 'esc'));
  return host;
}

describe('sandbuild run', () => {
  it('parses options and passes guest args after the module or --', () => {
    const o = parseRunArgs(['--engine', 'native', '--dir', 'a::/b', '--env', 'K=V=W', 'm.wasm', '--', 'x', '--y']);
    expect(o).toMatchObject({ engine: 'native', dirs: [{ host: 'a', guest: '/b' }], env: { K: 'V=W' }, module: 'm.wasm', args: ['x', '--y'] });
    expect(parseRunArgs(['m.wasm', 'p', 'q']).args).toEqual(['p', 'q']);
  });

  for (const engine of ['interp', 'native']) {
    it(`exits with the guest's status (${engine})`, async () => {
      capture();
      expect(await runCommand(['--engine', engine, '--quiet', wasm.argc, '--', 'a', 'b'])).toBe(3);
    });
  }

  it('a trap gives one line and a non-zero status', async () => {
    const c = capture();
    expect(await runCommand(['--quiet', wasm.trap])).toBe(TRAP_EXIT);
    expect(c.err()).toMatch(/^sandbuild run: trap: .*unreachable/m);
  });

  it('bad usage and missing files are errors with one line', async () => {
    const c = capture();
    expect(await runCommand(['--engine', 'jit', wasm.argc])).toBe(2);
    expect(await runCommand([join(dir, 'missing.wasm')])).toBe(1);
    expect(c.err()).toMatch(/sandbuild run: ENOENT/);
  });

  it('--dir copies the folder in; host symlinks are not followed; the host is untouched; changes are summarised', async () => {
    const host = hostFolder();
    const out = join(dir, 'exported');
    const trace = join(dir, 'trace.jsonl');
    const c = capture();
    const code = await runCommand(['--dir', `${host}::/`, '--trace', trace, '--export', out, wasm.fs]);
    expect(code).toBe(63); // errno perm: the symlink leads out of the preopen
    expect(readFileSync(join(host, 'a.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(host).sort()).toEqual(['a.txt', 'sub']);
    expect(readlinkSync(join(host, 'sub', 'esc'))).toBe('../../../../../../../etc');
    expect(c.err()).toContain('+ created  /new.txt');
    expect(c.err()).toContain('- deleted  /a.txt');
    expect(readFileSync(join(out, 'new.txt'), 'utf8')).toBe('hi');
    expect(existsSync(join(out, 'a.txt'))).toBe(false);
    const recs = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { fn: string; errno: string });
    expect(recs.map((r) => `${r.fn}:${r.errno}`)).toEqual(['path_open:success', 'fd_write:success', 'path_unlink_file:success', 'path_open:perm', 'proc_exit:exit']);
  });

  it('--pkg loads a .tgz into the sandbox; a hostile one fails with one line', async () => {
    const { packTar } = await import('modern-tar');
    const { gzipSync } = await import('fflate');
    const tgz = join(dir, 'pkg.tgz');
    writeFileSync(tgz, gzipSync(await packTar([{ header: { name: 'a.txt', size: 3, type: 'file' }, body: 'abc' }])));
    const c = capture();
    expect(await runCommand(['--pkg', `${tgz}::/`, wasm.fs])).toBe(44); // sub/esc/passwd: noent
    expect(c.err()).toContain('- deleted  /a.txt');
    const evil = join(dir, 'evil.tgz');
    writeFileSync(evil, gzipSync(await packTar([{ header: { name: '../escape', size: 1, type: 'file' }, body: 'x' }])));
    expect(await runCommand(['--pkg', evil, wasm.fs])).toBe(1);
    expect(c.err()).toMatch(/sandbuild run: '\.\.' in entry name/);
  });

  it('--policy denials reach the guest as acces', async () => {
    const host = hostFolder();
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ version: 1, fs: [{ ops: ['read'], paths: ['**'], verdict: 'allow' }] }));
    const c = capture();
    const trace = join(dir, 'denied.jsonl');
    await runCommand(['--dir', `${host}::/`, '--policy', policy, '--trace', trace, wasm.fs]);
    expect(c.err()).toContain('the guest changed nothing');
    const recs = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { fn: string; errno: string });
    expect(recs.map((r) => `${r.fn}:${r.errno}`)).toEqual(['path_open:acces', 'fd_write:badf', 'path_unlink_file:acces', 'path_open:perm', 'proc_exit:exit']);
    const bad = join(dir, 'bad-policy.json');
    writeFileSync(bad, '{"version":1,"default":"maybe"}');
    expect(await runCommand(['--policy', bad, wasm.argc])).toBe(1);
    expect(c.err()).toMatch(/invalid policy: default/);
  });
});
