// Shared by `sandbuild audit` and `sandbuild diff`: argument parsing, engine and policy loading, running
// one audit of a package path, error messages, and the text forms of capabilities and syscall denials.

import { readFileSync, writeFileSync } from 'node:fs';
import { AuditError } from '../audit/errors.ts';
import { auditPolicy, learnPolicy } from '../audit/default-policy.ts';
import { denyingDecision } from '../audit/denials.ts';
import { DEFAULT_HOST, runAudit, type AuditResult } from '../audit/run-audit.ts';
import { GraphError } from '../graph/parse.ts';
import type { Capability } from '../graph/schema.ts';
import type { Engine } from '../interp/api.ts';
import { isWasmError } from '../interp/errors.ts';
import { parsePolicyText, PolicyError, type Policy } from '../policy/schema.ts';
import { ArchiveError, WasiConfigError } from '../wasi-vfs/errors.ts';
import type { TraceRecord } from '../wasi-vfs/trace.ts';
import { loadPackage } from './package-loader.ts';

export class UsageError extends Error {}

export interface CommonOptions {
  packages: string[];
  options: Record<string, string>;
  env: Record<string, string>;
  policyFile?: string;
  learnFile?: string;
  engine: 'interp' | 'native';
  host?: string;
  fuel?: number;
  traceFile?: string;
  json: boolean;
}

export const COMMON_FLAGS = `  -Dname=value             build option (repeatable; -Dflag means -Dflag=true)
  --policy FILE            policy JSON (default: the auditing policy, src/audit/default-policy.json)
  --engine interp|native   engine (default interp)
  --env K=V                offer an environment variable (the policy decides whether the guest sees it)
  --host TRIPLE            host target the graph is computed for (default: this machine, e.g. x86_64-linux-gnu)
  --fuel N                 instruction budget (interp only)
  --json                   machine-readable output on stdout`;

/** Parse flags shared by audit and diff; `extra` handles command-specific ones (returns true if taken). */
export function parseCommon(argv: string[], extra?: (flag: string, value: () => string, o: CommonOptions) => boolean): CommonOptions {
  const o: CommonOptions = { packages: [], options: {}, env: {}, engine: 'interp', json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-D')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      if (!name) throw new UsageError(`${a}: expected -Dname=value`);
      o.options[name] = eq < 0 ? 'true' : body.slice(eq + 1);
      continue;
    }
    if (!a.startsWith('--')) {
      o.packages.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq < 0 ? a : a.slice(0, eq);
    const value = (): string => {
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json':
        o.json = true;
        break;
      case '--policy':
        o.policyFile = value();
        break;
      case '--engine': {
        const e = value();
        if (e !== 'interp' && e !== 'native') throw new UsageError(`unknown engine '${e}' (interp or native)`);
        o.engine = e;
        break;
      }
      case '--env': {
        const kv = value();
        const k = kv.indexOf('=');
        if (k <= 0) throw new UsageError(`--env ${kv}: expected K=V`);
        o.env[kv.slice(0, k)] = kv.slice(k + 1);
        break;
      }
      case '--host':
        o.host = value();
        break;
      case '--fuel': {
        const n = Number(value());
        if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError('--fuel needs a positive integer');
        o.fuel = n;
        break;
      }
      default:
        if (!extra?.(flag, value, o)) throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (o.engine === 'native' && o.fuel !== undefined) throw new UsageError('--fuel needs --engine interp');
  return o;
}

export async function loadEngine(name: 'interp' | 'native'): Promise<Engine> {
  if (name === 'native') return (await import('../interp/native/index.ts')).nativeEngine;
  return (await import('../interp/engine.ts')).interpEngine;
}

export function loadPolicy(o: CommonOptions): { policy: Policy; label: string } {
  if (o.learnFile) return { policy: learnPolicy(), label: 'learn mode' };
  if (o.policyFile) return { policy: parsePolicyText(readFileSync(o.policyFile, 'utf8')), label: o.policyFile };
  return { policy: auditPolicy(), label: 'default auditing policy' };
}

const ZIG_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'x86', riscv64: 'riscv64', ppc64: 'powerpc64le', s390x: 's390x' };

/**
 * The Zig triple of the machine running the CLI: the graph is computed for the real host, as `zig build`
 * here would (issue 4: never wasm32-wasi). Unknown platforms get the runner's default.
 */
export function nativeHostTriple(): string {
  const arch = ZIG_ARCH[process.arch];
  if (!arch) return DEFAULT_HOST;
  switch (process.platform) {
    case 'linux': {
      const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
      return `${arch}-linux-${header?.glibcVersionRuntime ? 'gnu' : 'musl'}`;
    }
    case 'darwin':
      return `${arch}-macos`;
    case 'win32':
      return `${arch}-windows-gnu`;
    case 'freebsd':
      return `${arch}-freebsd`;
    default:
      return DEFAULT_HOST;
  }
}

/** Audit a package dir or tarball; `make` also runs that custom step's make() in the sandbox. */
export async function auditPath(pkg: string, o: CommonOptions, policy: Policy, engine: Engine, make?: string): Promise<AuditResult> {
  const { fs } = await loadPackage(pkg, policy);
  const r = runAudit({ fs, policy, engine, options: o.options, env: o.env, host: o.host ?? nativeHostTriple(), fuel: o.fuel, make });
  if (o.traceFile) writeFileSync(o.traceFile, r.trace.map((x) => `${JSON.stringify(x)}\n`).join(''));
  return r;
}

/** One line for an error from loading or running; undefined for errors that are bugs (rethrown). */
export function describeError(e: unknown): string | undefined {
  if (e instanceof AuditError || e instanceof PolicyError || e instanceof ArchiveError || e instanceof WasiConfigError) return e.message;
  if (e instanceof GraphError) return `invalid graph at ${e.path}: ${e.detail}`;
  if (isWasmError(e)) return `build.wasm: ${e.phase} error: ${e.message}`;
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') {
    const p = 'path' in e && typeof e.path === 'string' ? e.path : '';
    if (e.code === 'ENOENT') return `no such file or directory: ${p}`;
    return e.message;
  }
  return undefined;
}

/** Run a command body, mapping usage errors to 2 and input errors to one line with status 1. */
export async function guard(cmd: string, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`sandbuild ${cmd}: ${e.message}\n${usage}`);
      return 2;
    }
    const msg = describeError(e);
    if (msg === undefined) throw e;
    console.error(`sandbuild ${cmd}: ${msg}`);
    return 1;
  }
}

// Control characters, line breaks and bidi overrides in guest-chosen text (step names, targets, paths,
// stderr) could rewrite the terminal (`\x1b[2K\rresult: clean`) or reorder what is shown ("Trojan
// Source"), so they are printed as escapes.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Guest-controlled text made safe for one terminal line. */
export function safe(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

export function capText(c: Capability): string {
  return safe(`${c.kind} ${c.target}${c.detail ? ` [${c.detail}]` : ''}`);
}

/** `#11 path_open read ../.env (errno perm)` */
export function syscallText(r: TraceRecord): string {
  const d = denyingDecision(r);
  const what = d ? `${d.op} ${d.guestPath ?? d.path}` : JSON.stringify(r.args);
  return `#${r.seq} ${r.fn} ${safe(what)} (errno ${r.errno})`;
}

/** What the guest's run ended with, for messages. */
export function outcomeText(r: AuditResult): string {
  const o = r.outcome;
  if (o.status === 'exit') return `exited with status ${o.code}`;
  if (o.status === 'trap') return `trapped: ${o.kind}: ${safe(o.message)}`;
  return 'ran out of fuel';
}

/** The last lines of the guest's stderr, indented (why a configure failed). */
export function stderrTail(r: AuditResult, lines = 10): string {
  const all = r.stderr.trimEnd().split('\n');
  return all.slice(-lines).map((l) => `  | ${safe(l)}`).join('\n');
}
