// Compile the graph runner (guest/runner.zig) together with a package's build.zig.
//   wasm:   wasm32-wasi, ReleaseSmall, against the patched lib copy; "name" and the DWARF sections
//           src/attribution reads are kept (KEPT_SECTIONS), other custom sections dropped, and
//           .debug_info trimmed to the inline call sites (dwarf-trim.ts).
//   native: the host, unpatched std (the fidelity reference). Node-only.
//
// Zig 0.14's `build-exe` applies -target/-O to the next -M module only, so the flags are repeated
// before every -M (otherwise the output is an x86 ELF).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dependenciesSource, resolveDependencies, type ExtraDeps } from './deps.ts';
import { cacheRoot, preparePatchedLib } from './patch-lib.ts';
import { findToolchain, type Toolchain } from './toolchain.ts';
import { currentInputs, INPUTS_FILE } from './inputs.ts';
import { KEPT_SECTIONS, keepCustomSections } from './wasm-sections.ts';
import { normalizeDebugPaths, prefixRewrite } from './dwarf-paths.ts';
import { trimDwarf } from './dwarf-trim.ts';

export const GUEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../guest');
export const RUNNER_SOURCE = path.join(GUEST_DIR, 'runner.zig');

export type CompileTarget = 'wasm32-wasi' | 'native';

export interface CompileOptions {
  /** Package root: the directory holding build.zig. */
  packageDir: string;
  /** Output file. */
  outFile: string;
  target?: CompileTarget;
  /** Dependencies given by the user, by name. */
  extraDeps?: ExtraDeps;
  toolchain?: Toolchain;
  env?: NodeJS.ProcessEnv;
}

export interface CompileResult {
  outFile: string;
  bytes: number;
  ms: number;
}

/** Zig rejected the build script (or the runner); `output` is Zig's stderr as printed. */
export class ZigCompileError extends Error {
  override name = 'ZigCompileError';
  constructor(
    readonly output: string,
    readonly status: number,
  ) {
    super(`zig build-exe failed with status ${status}`);
  }
}

function flags(target: CompileTarget): string[] {
  return target === 'wasm32-wasi' ? ['-target', 'wasm32-wasi', '-OReleaseSmall', '-fno-strip'] : ['-ODebug'];
}

export async function compileRunner(opts: CompileOptions): Promise<CompileResult> {
  const started = Date.now();
  const target = opts.target ?? 'wasm32-wasi';
  const env = opts.env ?? process.env;
  const pkg = path.resolve(opts.packageDir);
  if (!existsSync(path.join(pkg, 'build.zig'))) throw new ZigCompileError(`${pkg}: no build.zig\n`, 2);
  const tc = opts.toolchain ?? (await findToolchain(env));
  const wired = resolveDependencies(pkg, opts.extraDeps);

  const cache = cacheRoot(env);
  const depsSrc = dependenciesSource(wired);
  const genDir = path.join(cache, 'gen', createHash('sha256').update(depsSrc).digest('hex').slice(0, 16));
  await mkdir(genDir, { recursive: true });
  const depsFile = path.join(genDir, 'dependencies.zig');
  if (!existsSync(depsFile)) await writeFile(depsFile, depsSrc);

  const f = flags(target);
  const args = ['build-exe'];
  if (target === 'wasm32-wasi') args.push('--zig-lib-dir', await preparePatchedLib(tc, env));
  args.push('--name', 'build');
  args.push(...f, '--dep', '@build', '--dep', '@dependencies', `-Mroot=${RUNNER_SOURCE}`);
  args.push(...f, '-M@build=build.zig');
  const withZig = wired.packages.filter((p) => p.available && p.buildZig);
  args.push(...f);
  for (const p of withZig) args.push('--dep', p.key);
  args.push(`-M@dependencies=${depsFile}`);
  for (const p of withZig) args.push(...f, `-M${p.key}=${p.buildZig}`);
  if (target === 'wasm32-wasi') args.push('-lc');
  const outAbs = path.resolve(opts.outFile);
  await mkdir(path.dirname(outAbs), { recursive: true });
  // Emit into a scratch dir under the final basename: the wasm "name" section's module name is it.
  const tmpDir = await mkdtemp(path.join(cache, 'out-'));
  const tmpOut = path.join(tmpDir, target === 'wasm32-wasi' ? 'build.wasm' : 'build');
  args.push('--cache-dir', path.join(cache, 'zig-local'), '--global-cache-dir', path.join(cache, 'zig-global'), `-femit-bin=${tmpOut}`);

  try {
    // cwd = package root so Zig prints build.zig errors as `build.zig:LINE:COL`.
    await new Promise<void>((resolve, reject) => {
      execFile(tc.exe, args, { cwd: pkg, maxBuffer: 64 << 20, env: { ...env, ZIG_LOCAL_CACHE_DIR: undefined } }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        const status = typeof err.code === 'number' ? err.code : 1;
        reject(new ZigCompileError(stderr || err.message, status));
      });
    });
    if (target === 'wasm32-wasi') {
      const raw = new Uint8Array(await readFile(tmpOut));
      // Machine paths out of the DWARF: the patched lib copy (any hash) → /zig-lib, the package → `.`,
      // the rest of the cache → /zig-cache (the more specific of package and cache first).
      const rules = [prefixRewrite(cache, '/zig-lib', '/zig-lib-[^/]*')];
      const dirs: [string, string][] = [[pkg, '.'], [cache, '/zig-cache']];
      for (const [dir, to] of dirs.sort((a, b) => b[0].length - a[0].length)) rules.push(prefixRewrite(dir, to));
      // .debug_info cut to the inline call sites attribution reads (about a sixth of its size).
      await writeFile(outAbs, trimDwarf(normalizeDebugPaths(keepCustomSections(raw, KEPT_SECTIONS), rules)));
      const inputs = currentInputs(pkg, GUEST_DIR, tc.version);
      await writeFile(path.join(path.dirname(outAbs), INPUTS_FILE), `${JSON.stringify(inputs, null, 1)}\n`);
    } else {
      await writeFile(outAbs, await readFile(tmpOut), { mode: 0o755 });
    }
  } finally {
    // Zig also leaves its object file beside the output; the whole scratch dir goes.
    await rm(tmpDir, { recursive: true, force: true });
  }
  const bytes = (await readFile(outAbs)).length;
  return { outFile: outAbs, bytes, ms: Date.now() - started };
}
