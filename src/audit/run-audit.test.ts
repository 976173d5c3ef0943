// runAudit on the real example packages (their committed .sandbuild/build.wasm) on both engines, with the
// default auditing policy and with named rules, checking concrete graph and denial values against what
// each example's build.zig does (examples/README.md).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPackage } from '../cli/package-loader.ts';
import type { Engine } from '../interp/api.ts';
import { interpEngine, nativeEngine } from '../interp/index.ts';
import { parsePolicy, type PolicyInput } from '../policy/schema.ts';
import { ProcExit } from '../wasi-vfs/errors.ts';
import { MemFS } from '../wasi-vfs/fs.ts';
import { WasiHost } from '../wasi-vfs/host.ts';
import type { RunOutcome } from '../wasi-vfs/runner.ts';
import type { TraceRecord } from '../wasi-vfs/trace.ts';
import { auditPolicy, learnPolicy } from './default-policy.ts';
import { denyingDecision, ESCAPE_RULE } from './denials.ts';
import { syscallKey } from './diff.ts';
import { AuditError } from './errors.ts';
import { loadPackageArchive, readPackageWasm } from './package.ts';
import { hasDenials, prepareAudit, runAudit, type AuditRequest } from './run-audit.ts';
import { summarizeGraph } from './summary.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (name: string) => path.join(ROOT, 'examples', name);

async function audit(name: string, engine: Engine, extra: Partial<AuditRequest> = {}) {
  const policy = extra.policy ?? auditPolicy();
  const { fs } = await loadPackage(example(name), policy);
  return runAudit({ fs, policy, engine, ...extra });
}

/** The audit policy plus some overrides (e.g. let HOME through so paths show the offered home). */
const withPolicy = (over: Partial<PolicyInput>) => parsePolicy({ ...auditPolicy(), ...over });

const denialRows = (ds: TraceRecord[]) => ds.map((d) => ({ fn: d.fn, ...denyingDecision(d) }));

describe.each([
  ['interp', interpEngine],
  ['native', nativeEngine],
])('runAudit on %s', (_, engine) => {
  it('a-hello-lib: the clean baseline', async () => {
    const r = await audit('a-hello-lib', engine);
    expect(r.outcome).toEqual({ status: 'exit', code: 0 });
    expect(r.graphError).toBeUndefined();
    const s = summarizeGraph(r.graph!);
    expect(s.steps).toBe(13);
    expect(s.byKind).toEqual({ top_level: 4, compile: 4, install_artifact: 2, run: 3 });
    expect(s.topLevel.map((t) => t.name)).toEqual(['install', 'uninstall', 'run', 'test']);
    expect(s.defaultStep).toBe('install');
    // Runs of built artifacts are the only capability requests, and the default policy grants them.
    expect(r.graph!.steps.flatMap((st) => st.caps)).toEqual([
      { kind: 'exec', target: 'hello', detail: 'artifact' },
      { kind: 'exec', target: 'test', detail: 'artifact' },
      { kind: 'exec', target: 'test', detail: 'artifact' },
    ]);
    expect(r.syscallDenials).toEqual([]);
    expect(r.capDenials).toEqual([]);
    expect(r.blocked).toEqual([]);
    expect(hasDenials(r)).toBe(false);
  });

  it('c-exfiltrate: every configure-time escape and every graph capability denied, with rules', async () => {
    const r = await audit('c-exfiltrate', engine, {
      env: { HOME: '/home/auditor', CI_TOKEN: 'secret' },
      policy: withPolicy({ env: { allow: ['HOME'] } }),
    });
    expect(r.outcome).toEqual({ status: 'exit', code: 0 });
    expect(r.envHidden).toEqual([{ name: 'CI_TOKEN', rule: 'env.default' }]);
    expect(denialRows(r.syscallDenials)).toEqual([
      // The environment dump sees only what the policy lets through; the host records the hidden variable.
      { fn: 'environ_sizes_get', op: 'env', path: 'CI_TOKEN', verdict: 'deny', rule: 'env.default' },
      // The guest's std/libc sends its absolute reads relative to the preopen; the policy judges them as
      // host paths (the package has no `home`), and the trace names them as the guest did.
      { fn: 'path_open', op: 'read', path: 'home/auditor/.ssh/id_rsa', guestPath: '/home/auditor/.ssh/id_rsa', verdict: 'deny', rule: 'deny-host-paths' },
      { fn: 'path_open', op: 'read', path: 'home/auditor/.aws/credentials', guestPath: '/home/auditor/.aws/credentials', verdict: 'deny', rule: 'deny-host-paths' },
      // Escapes: refused by the host before any policy, which records the decision itself.
      { fn: 'path_open', op: 'read', path: '../.env', guestPath: '/../.env', verdict: 'deny', rule: ESCAPE_RULE },
      { fn: 'path_open', op: 'read', path: '../../.npmrc', guestPath: '/../../.npmrc', verdict: 'deny', rule: ESCAPE_RULE },
      { fn: 'path_open', op: 'create', path: '../.cache-loot', guestPath: '/../.cache-loot', verdict: 'deny', rule: ESCAPE_RULE },
      {
        fn: 'path_open', op: 'create', path: '/home/auditor/.config/autostart/tiny.desktop',
        guestPath: '/home/auditor/.config/autostart/tiny.desktop', verdict: 'deny', rule: ESCAPE_RULE,
      },
    ]);
    expect(r.syscallDenials.slice(1).map((d) => d.errno)).toEqual(['acces', 'acces', 'perm', 'perm', 'perm', 'perm']);
    // Every attempt is a denial now, so nothing is left over as a mere missing lookup.
    expect(r.missing).toEqual([]);
    const g = r.graph!;
    expect(r.capDenials.map((d) => [g.steps[d.step].name, d.cap.kind, d.cap.target, d.rule])).toEqual([
      ['run sh', 'exec', 'sh', 'capabilities.default'],
      ['run sh', 'net', 'https://collect.example.net/k', 'capabilities.default'],
      ['install src/main.zig to ../../.bashrc.d/zz-tiny.sh', 'write', '../.bashrc.d/zz-tiny.sh', 'capabilities.default'],
      ['install /home/auditor/.ssh/id_rsa to share/tiny/key', 'host-path', '/home/auditor/.ssh/id_rsa', 'capabilities.default'],
    ]);
    // All three hang on `install`, which is therefore blocked by them.
    expect(r.blocked).toEqual([{ step: 0, blockedBy: [3, 4, 5] }]);
    expect(g.steps[0].name).toBe('install');
  });

  it('d-system-deps: curl | sh denied as exec sh + net, git and host libraries too; named rules win', async () => {
    const policy = withPolicy({
      capabilities: {
        default: 'deny',
        rules: [
          { id: 'no-shell', kinds: ['exec'], targets: ['{sh,bash}'], verdict: 'deny' },
          { id: 'git-ok', kinds: ['exec'], targets: ['git'], details: ['system'], verdict: 'allow' },
          { id: 'libs', kinds: ['host-lib', 'pkg-config'], targets: ['{ssl,crypto,z}'], verdict: 'allow' },
        ],
      },
    });
    const r = await audit('d-system-deps', engine, { policy });
    const g = r.graph!;
    const rows = r.capDenials.map((d) => `${g.steps[d.step].name} ${d.cap.kind} ${d.cap.target} ${d.rule}`);
    expect(rows).toEqual([
      'zig build-exe fetchit Debug native host-path /usr/include/openssl capabilities.default',
      'zig build-exe fetchit Debug native host-path /usr/lib/x86_64-linux-gnu capabilities.default',
      'run sh exec sh no-shell',
      'run sh net https://get.fetchit.example/install.sh capabilities.default',
    ]);
    const bootstrap = g.top_level_steps.find((t) => t.name === 'bootstrap')!;
    expect(r.blocked).toContainEqual({ step: bootstrap.step, blockedBy: [g.steps[bootstrap.step].deps[0]] });
    expect(r.syscallDenials).toEqual([]);
  });

  it('e-vendored-deps: an fs rule denial names its rule, and the guest sees EACCES', async () => {
    const policy = withPolicy({
      fs: [
        { id: 'no-beta', ops: ['read'], paths: ['deps/beta', 'deps/beta/**'], verdict: 'deny' },
        { id: 'read-package', ops: ['read'], paths: ['**'], verdict: 'allow' },
      ],
    });
    const r = await audit('e-vendored-deps', engine, { policy });
    expect(denialRows(r.syscallDenials)).toEqual([
      { fn: 'path_open', op: 'read', path: 'deps/beta', guestPath: '/deps/beta', verdict: 'deny', rule: 'no-beta' },
    ]);
    expect(r.syscallDenials[0].errno).toBe('acces');
    // std.Build cannot open the dependency's build root: the configure phase fails, so there is no graph.
    expect(r.outcome).toEqual({ status: 'exit', code: 1 });
    expect(r.stderr).toBe("unable to open 'deps/beta': AccessDenied\n");
    expect(r.graph).toBeUndefined();
    expect(hasDenials(r)).toBe(true);
  });

  it('f-optional-fetch: options change the graph (network only with -Dfetch-assets=true)', async () => {
    const plain = await audit('f-optional-fetch', engine);
    expect(plain.capDenials).toEqual([]);
    const fetch = await audit('f-optional-fetch', engine, { options: { 'fetch-assets': 'true' } });
    expect(fetch.graph!.options.find((o) => o.name === 'fetch-assets')?.value).toBe('true');
    expect(fetch.capDenials.map((d) => `${d.cap.kind} ${d.cap.target}`)).toContain('net https://cdn.example.org/blocks/hd-pack-v3.tar.gz');
    expect(fetch.graph!.steps.length).toBeGreaterThan(plain.graph!.steps.length);
  });
});

describe('runAudit', () => {
  it('interp and native print the same graph and make the same syscalls (c-exfiltrate)', async () => {
    const [i, n] = await Promise.all([audit('c-exfiltrate', interpEngine), audit('c-exfiltrate', nativeEngine)]);
    expect(n.stdout).toBe(i.stdout);
    expect(n.trace.map(syscallKey)).toEqual(i.trace.map(syscallKey));
    expect(n.capDenials).toEqual(i.capDenials);
  });

  it('is deterministic under the default policy: two runs give the same trace and output', async () => {
    const [x, y] = [await audit('e-vendored-deps', interpEngine), await audit('e-vendored-deps', interpEngine)];
    expect(x.trace.length).toBeGreaterThan(0);
    expect(JSON.stringify(y.trace)).toBe(JSON.stringify(x.trace));
    expect(y.stdout).toBe(x.stdout);
  });

  it('batches trace records to onTrace and streams all of them', async () => {
    const batches: TraceRecord[][] = [];
    const r = await audit('e-vendored-deps', interpEngine, { onTrace: (b) => batches.push([...b]), traceBatch: 5 });
    expect(r.traceTotal).toBe(r.trace.length);
    expect(batches.length).toBe(Math.ceil(r.traceTotal / 5));
    expect(batches.every((b) => b.length <= 5 && b.length > 0)).toBe(true);
    expect(batches.flat().map((x) => x.seq)).toEqual(r.trace.map((x) => x.seq));
  });

  it('learn mode: the learned policy allows the same run and graph', async () => {
    const learn = await audit('d-system-deps', interpEngine, { policy: learnPolicy() });
    expect(learn.capDenials).toEqual([]);
    const learned = learn.learnedPolicy!;
    expect(learned.mode).toBe('enforce');
    expect(learned.capabilities?.rules.find((x) => x.id === 'learned-exec-system')?.targets).toEqual(['git', 'sh']);
    expect(learned.capabilities?.rules.find((x) => x.id === 'learned-host-lib')?.targets).toEqual(['crypto', 'ssl', 'z']);
    const again = await audit('d-system-deps', interpEngine, { policy: learned });
    expect(again.capDenials).toEqual([]);
    expect(again.syscallDenials).toEqual([]);
    expect(again.stdout).toBe(learn.stdout);
  });

  it('prepareAudit lets a driver of its own run the guest in slices and get the same result', async () => {
    const policy = auditPolicy();
    const whole = await audit('c-exfiltrate', interpEngine);
    const { fs } = await loadPackage(example('c-exfiltrate'), policy);
    const p = prepareAudit({ fs, policy, engine: interpEngine });
    const host = new WasiHost(p.wasi);
    host.canSuspend = true;
    const inst = interpEngine.instantiate(interpEngine.compile(p.wasm), host.imports());
    host.bind(inst);
    const SLICE = 200_000;
    let slices = 1;
    let outcome: RunOutcome;
    try {
      let r = inst.run('_start', [], { fuel: SLICE });
      while (r.status === 'out-of-fuel') {
        r = inst.resume([], { fuel: SLICE });
        slices++;
      }
      outcome = r.status === 'done' ? { status: 'exit', code: 0 } : r.status === 'trap' ? { status: 'trap', trap: r.trap } : expect.unreachable();
    } catch (e) {
      if (!(e instanceof ProcExit)) throw e;
      outcome = { status: 'exit', code: e.code };
    }
    const r = p.finish(outcome, host);
    expect(slices).toBeGreaterThan(1);
    expect(r.stdout).toBe(whole.stdout);
    expect(r.syscallDenials).toEqual(whole.syscallDenials);
    expect(r.capDenials).toEqual(whole.capDenials);
  });

  it('runs out of fuel on the interpreter with a small budget', async () => {
    const r = await audit('a-hello-lib', interpEngine, { fuel: 10_000 });
    expect(r.outcome).toEqual({ status: 'out-of-fuel' });
    expect(r.graph).toBeUndefined();
  });

  it('says to run `sandbuild compile` when the package has no build.wasm', () => {
    const fs = new MemFS();
    fs.createFile(fs.root, 'build.zig', new TextEncoder().encode('pub fn build() void {}'));
    expect(() => runAudit({ fs, policy: auditPolicy(), engine: interpEngine })).toThrow(AuditError);
    try {
      readPackageWasm(fs);
    } catch (e) {
      expect((e as AuditError).kind).toBe('no-wasm');
      expect((e as AuditError).message).toMatch(/sandbuild compile/);
    }
  });

  it('rejects option names the runner cannot take', async () => {
    const { fs } = await loadPackage(example('a-hello-lib'));
    expect(() => runAudit({ fs, policy: auditPolicy(), engine: interpEngine, options: { 'a=b': 'c' } })).toThrow(/invalid build option/);
  });

  it('reports invalid guest output with the JSON path', async () => {
    const wabt = await (await import('wabt')).default();
    const text = '{"version":1,"steps":[]}';
    const wat = `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) ${JSON.stringify(text)})
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const ${text.length}))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;
    const wasm = wabt.parseWat('bad.wat', wat).toBinary({}).buffer;
    const r = runAudit({ fs: new MemFS(), wasm, policy: auditPolicy(), engine: interpEngine });
    expect(r.stdout).toBe(text);
    expect(r.graph).toBeUndefined();
    expect(r.graphError?.path).toBe('$.zig_version');
  });
});

describe('loading packages', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-audit-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('audits the committed tarball like the directory', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(ROOT, 'public/examples/g-v2.tar.gz')));
    const fs = await loadPackageArchive(bytes);
    const fromTar = runAudit({ fs, policy: auditPolicy(), engine: interpEngine });
    const fromDir = await audit('g-v2', interpEngine);
    expect(fromTar.graph).toEqual(fromDir.graph);
  });

  it('strips a single top directory from a wrapped tarball', async () => {
    const tgz = path.join(scratch, 'wrapped.tgz');
    execFileSync('tar', ['czf', tgz, '-C', path.join(ROOT, 'examples'), 'g-v1']);
    const fs = await loadPackageArchive(new Uint8Array(readFileSync(tgz)));
    expect(fs.root.entries.has('build.zig')).toBe(true);
    const r = runAudit({ fs, policy: auditPolicy(), engine: interpEngine });
    expect(summarizeGraph(r.graph!).topLevel.map((t) => t.name)).toEqual(['install', 'uninstall', 'test', 'docs']);
  });

  it('refuses an archive without a package', async () => {
    const dir = path.join(scratch, 'nopkg');
    execFileSync('mkdir', ['-p', path.join(dir, 'a'), path.join(dir, 'b')]);
    const tgz = path.join(scratch, 'nopkg.tgz');
    execFileSync('tar', ['czf', tgz, '-C', dir, '.']);
    await expect(loadPackageArchive(new Uint8Array(readFileSync(tgz)))).rejects.toMatchObject({ kind: 'no-package' });
  });
});
