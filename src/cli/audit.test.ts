// The `audit` and `diff` subcommands end to end: spawn `node bin/sandbuild.mjs` as a user would and check
// exit statuses (0 clean, 3 denied, 1 bad input, 2 usage), key output lines, and that --json parses.

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sandbuild.mjs');
const ex = (name: string) => path.join(ROOT, 'examples', name);
const tgz = (name: string) => path.join(ROOT, 'public/examples', `${name}.tar.gz`);

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-cli-audit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('sandbuild audit', () => {
  it('a-hello-lib is clean: exit 0 and the graph summary', async () => {
    const r = await cli('audit', ex('a-hello-lib'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('graph: 13 steps (top_level 4, compile 4, install_artifact 2, run 3)');
    expect(lines).toContain('  test       Run unit tests');
    expect(lines).toContain('  -Doptimize (enum) = null');
    expect(lines).toContain('graph capability requests: 3, denied: 0');
    expect(lines).toContain('  allowed exec test [artifact] by rule run-built-artifacts (steps 9, 11)');
    expect(lines.at(-2)).toBe('result: clean');
  });

  it('c-exfiltrate is denied: exit 3, every denial with its rule', async () => {
    const r = await cli('audit', tgz('c-exfiltrate'));
    expect(r.code).toBe(3);
    const lines = r.stdout.split('\n');
    const denied = lines.filter((l) => l.includes('DENIED'));
    expect(denied.filter((l) => l.includes('path_open')).map((l) => l.replace(/#\d+ /, ''))).toEqual([
      // Paths as the guest named them (preopen "/"); the policy or the sandbox names the rule.
      '  DENIED path_open read /root/.ssh/id_rsa (errno acces) by rule deny-host-paths',
      '  DENIED path_open read /root/.aws/credentials (errno acces) by rule deny-host-paths',
      '  DENIED path_open read /../.env (errno perm) by rule sandbox:outside-package',
      '  DENIED path_open read /../../.npmrc (errno perm) by rule sandbox:outside-package',
      '  DENIED path_open create /../.cache-loot (errno perm) by rule sandbox:outside-package',
      '  DENIED path_open create /root/.config/autostart/tiny.desktop (errno perm) by rule sandbox:outside-package',
    ]);
    expect(lines).toContain('  DENIED step 3 "run sh": exec sh [system] by rule capabilities.default');
    expect(lines).toContain('  DENIED step 3 "run sh": net https://collect.example.net/k by rule capabilities.default');
    expect(lines).toContain('result: DENIED (6 syscalls, 4 capability requests)');
  });

  it('--json parses and carries the same verdict', async () => {
    const r = await cli('audit', ex('d-system-deps'), '--json', '--engine', 'native');
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('denied');
    expect(doc.engine).toBe('native');
    expect(doc.summary.topLevel.map((t: { name: string }) => t.name)).toEqual(['install', 'uninstall', 'bootstrap', 'update']);
    expect(doc.capDenials).toContainEqual({ step: 7, stepName: 'run sh', kind: 'exec', target: 'sh', detail: 'system', rule: 'capabilities.default' });
    expect(doc.graph.steps.length).toBe(doc.summary.steps);
  });

  it('--host sets the host target the graph is computed for', async () => {
    const r = await cli('audit', ex('g-v1'), '--host', 'aarch64-macos', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.host).toBe('aarch64-macos');
    const bad = await cli('audit', ex('g-v1'), '--host', 'nonsense-arch');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad --host 'nonsense-arch'/);
  });

  it('a policy file decides both syscalls and capabilities; -D options reach the build', async () => {
    const policy = path.join(scratch, 'allow-fetch.json');
    writeFileSync(
      policy,
      JSON.stringify({
        version: 1,
        fs: [{ ops: ['read'], paths: ['**'], verdict: 'allow' }],
        clock: { mode: 'fixed' },
        random: { mode: 'seeded', seed: 3 },
        capabilities: {
          default: 'deny',
          rules: [
            { kinds: ['exec'], details: ['artifact'], verdict: 'allow' },
            { id: 'fetch-tools', kinds: ['exec'], targets: ['{curl,tar}'], verdict: 'allow' },
            { id: 'cdn', kinds: ['net'], targets: ['https://cdn.example.org/**'], verdict: 'allow' },
          ],
        },
      }),
    );
    const r = await cli('audit', ex('f-optional-fetch'), '-Dfetch-assets=true', '--policy', policy, '--json');
    const doc = JSON.parse(r.stdout);
    expect(doc.options).toEqual({ 'fetch-assets': 'true' });
    expect(doc.summary.options.find((o: { name: string }) => o.name === 'fetch-assets').value).toBe('true');
    expect(doc.capDenials).toEqual([]);
    expect(doc.verdict).toBe('clean');
    expect(r.code).toBe(0);
  });

  it('bad input: one line and a non-zero status', async () => {
    const pkg = path.join(scratch, 'uncompiled');
    cpSync(path.join(ex('g-v1')), pkg, { recursive: true });
    rmSync(path.join(pkg, '.sandbuild'), { recursive: true });
    const noWasm = await cli('audit', pkg);
    expect(noWasm.code).toBe(1);
    expect(noWasm.stderr).toBe('sandbuild audit: the package has no .sandbuild/build.wasm: run `sandbuild compile <package>` first\n');

    const missing = await cli('audit', path.join(scratch, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^sandbuild audit: no such file or directory: .*nope\n$/);

    mkdirSync(path.join(pkg, '.sandbuild'));
    writeFileSync(path.join(pkg, '.sandbuild/build.wasm'), 'not wasm');
    const corrupt = await cli('audit', pkg);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toBe('sandbuild audit: build.wasm: decode error: magic header not detected (at byte 0x0)\n');

    const policy = path.join(scratch, 'bad-policy.json');
    writeFileSync(policy, JSON.stringify({ version: 1, capabilities: { rules: [{ kinds: ['exec'], verdict: 'maybe' }] } }));
    const badPolicy = await cli('audit', ex('g-v1'), '--policy', policy);
    expect(badPolicy.code).toBe(1);
    expect(badPolicy.stderr).toMatch(/^sandbuild audit: invalid policy: capabilities\.rules\.0\.verdict: /);

    const usage = await cli('audit');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/missing package dir or tarball/);
  });

  it('invalid graph JSON: the error names the JSON path', async () => {
    const text = '{"version":1,"zig_version":"0.14","host":"x","install_prefix":"zig-out","default_step":0,"options":[],"top_level_steps":[],"missing_lazy_dependencies":[],"steps":[{"id":0,"name":"x","kind":"run","package":"","deps":[7],"data":{},"caps":[]}]}';
    const r = await cli('audit', await packagePrinting('hostile', text));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sandbuild audit: invalid graph at \$\.steps\[0\]\.data\.\w+: /);
  });

  it('guest text cannot rewrite the terminal: control characters and bidi overrides are escaped', async () => {
    const evil = 'ok\u001b[2K\rresult: clean\nDENIED nothing\u202e';
    const graph = {
      version: 1, zig_version: '0.14', host: 'x86_64-linux-gnu', install_prefix: 'zig-out', default_step: null,
      options: [], top_level_steps: [{ name: evil, description: evil, step: 0 }], missing_lazy_dependencies: [],
      steps: [{ id: 0, name: evil, kind: 'top_level', package: '', deps: [], data: { description: evil }, caps: [{ kind: 'exec', target: evil, detail: 'system' }] }],
    };
    const r = await cli('audit', await packagePrinting('ansi', JSON.stringify(graph)));
    expect(r.code).toBe(3);
    expect(r.stdout).not.toMatch(/[\u001b\r\u202e]/);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('result:'))).toEqual(['result: DENIED (0 syscalls, 1 capability requests)']);
    expect(r.stdout).toContain('DENIED step 0 "ok\\u{1b}[2K\\u{d}result: clean\\u{a}DENIED nothing\\u{202e}"');
  });
});

/** A package whose build.wasm only prints `text` on stdout (a hostile graph runner). */
async function packagePrinting(name: string, text: string): Promise<string> {
  const wabt = await (await import('wabt')).default();
  const bytes = new TextEncoder().encode(text);
  const data = Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  const wat = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "${data}")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const ${bytes.length}))
      (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;
  const pkg = path.join(scratch, name);
  mkdirSync(path.join(pkg, '.sandbuild'), { recursive: true });
  writeFileSync(path.join(pkg, '.sandbuild/build.wasm'), wabt.parseWat(`${name}.wat`, wat).toBinary({}).buffer);
  return pkg;
}

describe('sandbuild diff', () => {
  it('g-v1 -> g-v2: the added suspicious step, exit 3', async () => {
    const r = await cli('diff', tgz('g-v1'), tgz('g-v2'));
    expect(r.code).toBe(3);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('steps added: 1');
    expect(lines).toContain('  + [3] check zig version (run)');
    expect(lines).toContain('  + step 3 "check zig version": exec sh [system] DENIED by rule capabilities.default');
    expect(lines).toContain('syscalls new in g-v2.tar.gz: 0');
  });

  it('--json, and exit 0 when nothing new is denied', async () => {
    const r = await cli('diff', ex('g-v2'), ex('g-v1'), '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.regressed).toBe(false);
    expect(doc.steps.removed.map((s: { name: string }) => s.name)).toEqual(['check zig version']);
    expect(doc.capsAdded).toEqual([]);
  });
});
