// `sandbuild run`: run any wasm32-wasi program in the sandbox.
//
//   sandbuild run [--engine interp|native] [--dir HOST::GUEST]... [--pkg FILE.tgz::GUEST]... [--env K=V]...
//                 [--policy FILE] [--learn FILE] [--fuel N] [--trace FILE.jsonl] [--stack] [--export DIR] [--stdin] [--quiet]
//                 module.wasm [-- args...]
//
// --dir copies HOST into the in-memory filesystem at GUEST and preopens it there (GUEST defaults to HOST);
// --pkg does the same with a package archive (hostile archives fail with the loader's typed error).
// Nothing the guest does reaches the host: host symlinks are copied as links (lstat, never followed), and
// changes stay in memory. Afterwards a summary of what the guest created, modified and deleted goes to
// stderr; --export DIR writes the created and modified files out. The exit status is the guest's; a trap
// or running out of fuel prints one line and exits 134; a load or configuration error exits 1; bad usage 2.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Engine } from '../interp/api.ts';
import { isWasmError } from '../interp/errors.ts';
import { parsePolicy, parsePolicyText, permissivePolicy, PolicyError, type Policy } from '../policy/schema.ts';
import { ArchiveError, WasiConfigError } from '../wasi-vfs/errors.ts';
import { MemFS, type Node } from '../wasi-vfs/fs.ts';
import { runWasi } from '../wasi-vfs/runner.ts';
import { Trace } from '../wasi-vfs/trace.ts';
import { diffTrees, snapshotTree } from '../wasi-vfs/tree-diff.ts';
import { copyHostDir, mkdirp } from './host-dir.ts';
import { loadArchive } from '../wasi-vfs/tar-loader.ts';

export const TRAP_EXIT = 134;

const USAGE = `usage: sandbuild run [options] module.wasm [-- args...]
  --engine interp|native   engine to run on (default interp)
  --dir HOST[::GUEST]      copy a host folder into the sandbox and preopen it as GUEST (repeatable)
  --pkg FILE[::GUEST]      load a .tar/.tar.gz/.tgz package into the sandbox and preopen it (repeatable)
  --env K=V                offer an environment variable (repeatable; the policy decides visibility)
  --policy FILE            capability policy (JSON); default: allow everything
  --learn FILE             allow everything and write the smallest policy that allows this run to FILE
  --fuel N                 instruction budget (interp only)
  --trace FILE.jsonl       write the syscall trace as JSON Lines
  --stack                  include the guest call stack in trace records (interp only)
  --export DIR             write the files the guest created or modified to DIR
  --stdin                  pass this process's stdin to the guest (default: empty)
  --quiet                  no change summary`;

class UsageError extends Error {}

interface Options {
  engine: 'interp' | 'native';
  dirs: { host: string; guest: string }[];
  pkgs: { host: string; guest: string }[];
  env: Record<string, string>;
  policyFile?: string;
  learnFile?: string;
  fuel?: number;
  traceFile?: string;
  stack: boolean;
  exportDir?: string;
  stdin: boolean;
  quiet: boolean;
  module: string;
  args: string[];
}

export function parseRunArgs(argv: string[]): Options {
  const o: Partial<Options> & { dirs: Options['dirs']; pkgs: Options['pkgs']; env: Options['env'] } = { engine: 'interp', dirs: [], pkgs: [], env: {}, stack: false, stdin: false, quiet: false };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.args = argv.slice(i + 1);
      break;
    }
    if (!a.startsWith('--')) {
      if (o.module !== undefined) {
        // Arguments after the module go to the guest, as with `wasmtime run m.wasm a b`.
        o.args = argv.slice(i);
        break;
      }
      o.module = a;
      continue;
    }
    const [flag, inline] = a.includes('=') && !a.startsWith('--env=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = (): string => inline ?? value(flag);
    switch (flag) {
      case '--engine': {
        const e = val();
        if (e !== 'interp' && e !== 'native') throw new UsageError(`unknown engine '${e}' (interp or native)`);
        o.engine = e;
        break;
      }
      case '--dir': {
        const d = val();
        const [host, guest] = d.includes('::') ? d.split('::', 2) : [d, d];
        if (!host || !guest) throw new UsageError(`--dir ${d}: expected HOST::GUEST`);
        o.dirs.push({ host, guest });
        break;
      }
      case '--pkg': {
        const d = val();
        const [host, guest] = d.includes('::') ? d.split('::', 2) : [d, '/'];
        if (!host || !guest) throw new UsageError(`--pkg ${d}: expected FILE::GUEST`);
        o.pkgs.push({ host, guest });
        break;
      }
      case '--env':
      case '--env=': {
        const kv = a.startsWith('--env=') ? a.slice(6) : value('--env');
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new UsageError(`--env ${kv}: expected K=V`);
        o.env[kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      case '--policy':
        o.policyFile = val();
        break;
      case '--learn':
        o.learnFile = val();
        break;
      case '--fuel': {
        const n = Number(val());
        if (!Number.isSafeInteger(n) || n < 0) throw new UsageError('--fuel needs a non-negative integer');
        o.fuel = n;
        break;
      }
      case '--trace':
        o.traceFile = val();
        break;
      case '--export':
        o.exportDir = val();
        break;
      case '--stack':
        o.stack = true;
        break;
      case '--stdin':
        o.stdin = true;
        break;
      case '--quiet':
        o.quiet = true;
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (o.module === undefined) throw new UsageError('missing module.wasm');
  if (o.policyFile && o.learnFile) throw new UsageError('--policy and --learn are exclusive');
  if (o.engine === 'native' && (o.fuel !== undefined || o.stack)) throw new UsageError('--fuel and --stack need --engine interp');
  return { args: [], ...o } as Options;
}

async function loadEngine(name: 'interp' | 'native'): Promise<Engine> {
  if (name === 'native') return (await import('../interp/native/index.ts')).nativeEngine;
  return (await import('../interp/engine.ts')).interpEngine;
}

function loadPolicy(o: Options): Policy {
  if (o.learnFile) return parsePolicy({ ...permissivePolicy(), mode: 'learn' });
  if (o.policyFile) return parsePolicyText(readFileSync(o.policyFile, 'utf8'));
  return permissivePolicy();
}

function nodeAt(fs: MemFS, path: string): Node | undefined {
  let n: Node | undefined = fs.root;
  for (const c of path.split('/')) n = n?.kind === 'dir' ? n.entries.get(c) : undefined;
  return n;
}

function describeError(e: unknown): string {
  if (isWasmError(e)) return `${e.phase} error: ${e.message}`;
  if (e instanceof PolicyError || e instanceof ArchiveError || e instanceof WasiConfigError) return e.message;
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') return e.message; // node:fs errors
  if (e instanceof Error) return e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}

export async function runCommand(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseRunArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`sandbuild run: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  try {
    const engine = await loadEngine(o.engine);
    const policy = loadPolicy(o);
    const bytes = new Uint8Array(readFileSync(o.module));
    // Under a fixed clock the copied tree gets the policy's epoch as its times, so runs are reproducible;
    // otherwise it keeps the host's times.
    const deterministic = policy.clock.mode === 'fixed';
    const epoch = policy.clock.mode === 'fixed' ? BigInt(policy.clock.epochNs) : 0n;
    const fs = new MemFS(deterministic ? { now: () => epoch } : {});
    const preopens = o.dirs.map(({ host, guest }) => {
      const dir = mkdirp(fs, guest.replace(/^\/+/, ''));
      copyHostDir(fs, host, dir, !deterministic);
      return { guest, dir };
    });
    for (const { host, guest } of o.pkgs) {
      const dir = mkdirp(fs, guest.replace(/^\/+/, ''));
      await loadArchive(new Uint8Array(readFileSync(host)), { fs, into: dir });
      preopens.push({ guest, dir });
    }
    const before = snapshotTree(fs.root);
    const trace = o.traceFile ? new Trace({}) : false;
    const stdin = o.stdin ? new Uint8Array(readFileSync(0)) : undefined;
    const r = runWasi(engine, bytes, {
      fs, preopens, policy, trace, stdin,
      args: [o.module, ...o.args],
      env: o.env,
      fuel: o.fuel,
      captureStack: o.stack,
      stdout: { write: (b) => process.stdout.write(b) },
      stderr: { write: (b) => process.stderr.write(b) },
    });
    if (o.traceFile && r.host.trace) writeFileSync(o.traceFile, r.host.trace.toJsonl());
    if (o.learnFile) writeFileSync(o.learnFile, `${JSON.stringify(r.host.policyEngine.learned(), null, 2)}\n`);
    const changes = diffTrees(before, snapshotTree(fs.root));
    if (!o.quiet) {
      const mark = { created: '+', modified: '~', deleted: '-' } as const;
      console.error(changes.length ? `sandbuild: the guest changed ${changes.length} path(s) (in memory only):` : 'sandbuild: the guest changed nothing');
      for (const c of changes) console.error(`  ${mark[c.change]} ${c.change.padEnd(8)} /${c.path}${c.kind === 'dir' ? '/' : c.kind === 'symlink' ? ' (symlink)' : ''}`);
    }
    if (o.exportDir) {
      for (const c of changes) {
        if (c.change === 'deleted') continue;
        const node = nodeAt(fs, c.path);
        const out = join(o.exportDir, c.path);
        if (node?.kind === 'dir') mkdirSync(out, { recursive: true });
        else if (node?.kind === 'file') {
          mkdirSync(dirname(out), { recursive: true });
          writeFileSync(out, node.data.view());
        }
      }
    }
    if (r.outcome.status === 'trap') {
      console.error(`sandbuild run: trap: ${r.outcome.trap.message}`);
      return TRAP_EXIT;
    }
    if (r.outcome.status === 'out-of-fuel') {
      console.error(`sandbuild run: out of fuel after ${o.fuel} instructions`);
      return TRAP_EXIT;
    }
    return r.exitCode;
  } catch (e) {
    console.error(`sandbuild run: ${describeError(e)}`);
    return 1;
  }
}
