// Fidelity: the committed wasm32-wasi build of each example (patched std) must print exactly the graph
// JSON that the same runner compiled natively (x86_64, unpatched std) prints, for several option sets,
// both under node:wasi and on the project's interpreter + WASI host (src/audit runAudit, permissive policy). Native builds are cached under node_modules/.cache/sandbuild/native, keyed by
// the runner and package sources. Skips, saying why, when no Zig toolchain is available.

import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../audit/run-audit.ts';
import { loadPackage } from '../cli/package-loader.ts';
import { parseGraphText } from '../graph/parse.ts';
import { interpEngine } from '../interp/index.ts';
import { permissivePolicy } from '../policy/schema.ts';
import { compileRunner, GUEST_DIR } from './compile.ts';
import { cacheRoot } from './patch-lib.ts';
import { runNative, runWasmNodeWasi } from './run-reference.ts';
import { findToolchain, type Toolchain } from './toolchain.ts';

const EXAMPLES = path.resolve(GUEST_DIR, '../examples');

let toolchain: Toolchain | undefined;
let why = '';
try {
  toolchain = await findToolchain();
} catch (e) {
  why = e instanceof Error ? e.message : String(e);
}
if (!toolchain) console.warn(`fidelity tests skipped: ${why}`);

/** Option sets per example; every example also runs with COMMON. */
// `native-windows` leaves the architecture open: it must be the host's (x86_64), not wasm32. The CPU model
// is pinned because a native run would otherwise detect the machine's own.
const COMMON: string[][] = [[], ['-Doptimize=ReleaseSmall'], ['-Dtarget=aarch64-macos', '-Doptimize=ReleaseFast'], ['-Dtarget=native-windows', '-Dcpu=baseline']];
const EXTRA: Record<string, string[][]> = {
  'f-optional-fetch': [['-Dfetch-assets=true'], ['-Dfetch-assets=true', '-Dbackend=vulkan', '-Dpack-url=https://mirror.test/p.tgz']],
  'a-hello-lib': [['-Dtarget=x86_64-windows', '--', 'Ada']],
};

// Same environment for both runs. HOME points into a scratch dir so the exfiltration example's
// attempts (which really run natively) find nothing and write nowhere that matters.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-fidelity-'));
const ENV = { HOME: path.join(scratch, 'home'), USER: 'auditor', PATH: '/usr/bin:/bin', CI_TOKEN: 'not-a-secret' };
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function hashTree(h: ReturnType<typeof createHash>, dir: string, rel = ''): void {
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (name === '.sandbuild' || name === 'zig-out' || name === '.zig-cache') continue;
    const abs = path.join(dir, r);
    if (statSync(abs).isDirectory()) hashTree(h, dir, r);
    else h.update(r).update('\0').update(readFileSync(abs)).update('\0');
  }
}

async function nativeRunner(tc: Toolchain, name: string): Promise<string> {
  const h = createHash('sha256').update(tc.version);
  hashTree(h, GUEST_DIR);
  hashTree(h, path.join(EXAMPLES, name));
  const exe = path.join(cacheRoot(), 'native', `${name}-${h.digest('hex').slice(0, 16)}`);
  if (!existsSync(exe)) await compileRunner({ packageDir: path.join(EXAMPLES, name), outFile: exe, target: 'native', toolchain: tc });
  return exe;
}

const names = existsSync(EXAMPLES)
  ? readdirSync(EXAMPLES).filter((n) => existsSync(path.join(EXAMPLES, n, 'build.zig'))).sort()
  : [];

describe.skipIf(!toolchain)('graph fidelity: wasm32-wasi (patched std) vs native', () => {
  it('has examples to check', () => {
    expect(names.length).toBeGreaterThanOrEqual(7);
  });

  for (const name of names) {
    it(`${name}: identical graph JSON for every option set`, async () => {
      const exe = await nativeRunner(toolchain!, name);
      const wasm = new Uint8Array(readFileSync(path.join(EXAMPLES, name, '.sandbuild', 'build.wasm')));
      for (const args of [...COMMON, ...(EXTRA[name] ?? [])]) {
        // Each run gets a fresh copy of the package, so nothing one run writes is seen by the next.
        const dir = path.join(scratch, `${name}-${Math.random().toString(36).slice(2)}`, 'pkg');
        cpSync(path.join(EXAMPLES, name), dir, { recursive: true });
        const native = await runNative(exe, { args, env: ENV, dir: dir });
        const wasi = await runWasmNodeWasi(wasm, { args, env: ENV, dir });
        expect(native.status, `native ${args.join(' ')}: ${native.stderr}`).toBe(0);
        expect(wasi.status, `wasm ${args.join(' ')}: ${wasi.stderr}`).toBe(0);
        expect(wasi.stdout, `${name} ${args.join(' ')}`).toBe(native.stdout);
        // And it is a graph the host accepts.
        expect(parseGraphText(wasi.stdout).steps.length).toBeGreaterThan(0);

        // The project's own engine and WASI host (interpreter, in-memory FS) print the same bytes.
        if (args.every((a) => /^-D[^=]+=/.test(a))) {
          const policy = permissivePolicy();
          const { fs } = await loadPackage(dir, policy);
          const options = Object.fromEntries(args.map((a) => [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
          const r = runAudit({ fs, policy, engine: interpEngine, env: ENV, options });
          expect(r.stdout, `${name} ${args.join(' ')} on interp: ${r.stderr}`).toBe(native.stdout);
        }
      }
    }, 300_000);
  }
});
