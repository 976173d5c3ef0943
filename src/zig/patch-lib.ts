// A patched copy of the toolchain's lib dir in which std.Build compiles for wasm32-wasi.
//
// Zig 0.14-dev's std.Build nearly compiles for wasm32-wasi; these edits close the gap. Each is an exact
// text replacement, and a pattern that is not found exactly once fails loudly (a different Zig would
// need its own review). The edits only change what happens when compiled for WASI; the native build of
// the same runner uses the unpatched lib. Only `std/` is copied; the rest of the lib dir is symlinked.
// Never commit the copy: it is Zig's code, regenerated into node_modules/.cache.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Toolchain } from './toolchain.ts';

export interface LibPatch {
  /** Path below the lib dir. */
  file: string;
  find: string;
  replace: string;
  why: string;
}

export const LIB_PATCHES: readonly LibPatch[] = [
  {
    file: 'std/process/Child.zig',
    find: '        @compileError("the target operating system cannot spawn processes");',
    replace: '        return error.AccessDenied; // sandbuild: spawning is a runtime error on WASI, not a compile error',
    why: 'std.Build references Child.spawn (Run steps, pkg-config); on WASI it must fail at run time instead',
  },
  {
    file: 'std/process/Child.zig',
    find: '        break :res posix.waitpid(self.id, 0);',
    replace: '        break :res if (native_os == .wasi) unreachable else posix.waitpid(self.id, 0);',
    why: 'the child id is void on WASI; spawn never succeeds there, so wait is unreachable',
  },
  {
    file: 'std/process/Child.zig',
    find: '    posix.kill(self.id, posix.SIG.TERM) catch |err| switch (err) {',
    replace: '    if (native_os == .wasi) unreachable;\n    posix.kill(self.id, posix.SIG.TERM) catch |err| switch (err) {',
    why: 'as for wait: no child can exist on WASI',
  },
  {
    file: 'std/Build/Step.zig',
    find: '            std.debug.captureStackTrace(first_ret_addr, &stack_trace);',
    replace: '            if (!builtin.cpu.arch.isWasm()) std.debug.captureStackTrace(first_ret_addr, &stack_trace);',
    why: 'Step.init records where each step was made by walking frame pointers; wasm has no readable call stack, and the walk reads out of bounds',
  },
  {
    file: 'std/Build/Cache.zig',
    find: '        hh.hasher.update(mem.asBytes(&bytes.len));',
    replace: '        hh.hasher.update(mem.asBytes(&@as(u64, bytes.len))); // sandbuild: 64-bit length, as on x86_64',
    why: 'HashHelper.addBytes hashes the usize length, so on wasm32 every digest differs from a native run (e.g. the .zig-cache/i/<digest> install prefix of each dependency); both targets are little-endian, so a u64 gives the x86_64 bytes',
  },
  {
    file: 'std/zig/system.zig',
    find: 'pub fn resolveTargetQuery(query: Target.Query) DetectError!Target {\n    const query_os_tag = query.os_tag orelse builtin.os.tag;\n    var os = query_os_tag.defaultVersionRange(query.cpu_arch orelse builtin.cpu.arch);',
    replace:
      '/// sandbuild: the host the graph runner stands in for on WASI (set from its --host). A query that leaves\n' +
      '/// the OS or CPU architecture open means "the host\'s", not wasm32-wasi.\n' +
      'pub var sandbuild_host_os: Target.Os.Tag = .linux;\n' +
      'pub var sandbuild_host_arch: Target.Cpu.Arch = .x86_64;\n' +
      'const sandbuild_on_wasi = builtin.os.tag == .wasi;\n' +
      'pub fn resolveTargetQuery(query: Target.Query) DetectError!Target {\n' +
      '    const query_os_tag = query.os_tag orelse if (sandbuild_on_wasi) sandbuild_host_os else builtin.os.tag;\n' +
      '    var os = query_os_tag.defaultVersionRange(query.cpu_arch orelse if (sandbuild_on_wasi) sandbuild_host_arch else builtin.cpu.arch);',
    why: 'a partial query (e.g. -Dtarget=native-windows) fills the open parts from builtin, which is wasm32-wasi inside the sandbox; a native run fills them from the real host',
  },
  {
    file: 'std/zig/system.zig',
    find: '    const cpu_arch = query.cpu_arch orelse builtin.cpu.arch;',
    replace: '    const cpu_arch = query.cpu_arch orelse if (sandbuild_on_wasi) sandbuild_host_arch else builtin.cpu.arch;',
    why: 'as above, for the CPU architecture',
  },
  ...(['sockaddr', 'socklen_t', 'sa_family_t', 'AF'] as const).map((name) => ({
    file: 'std/c.zig',
    find: `    .linux, .emscripten => linux.${name},`,
    replace: `    .linux, .emscripten, .wasi => linux.${name},`,
    why: 'std.net (reached via std.Build.Fuzz.WebServer) needs these types; WASI has no sockets API of its own in std',
  })),
];

export class PatchError extends Error {
  override name = 'PatchError';
}

function repoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.SANDBUILD_CACHE || path.join(repoRoot(), 'node_modules', '.cache', 'sandbuild');
}

/** Cache key: the toolchain version and the patch list itself, so editing a patch makes a new copy. */
export function patchedLibKey(tc: Toolchain): string {
  const h = createHash('sha256').update(tc.version).update(JSON.stringify(LIB_PATCHES)).digest('hex');
  return `zig-lib-${tc.version.replace(/[^A-Za-z0-9.-]/g, '_')}-${h.slice(0, 12)}`;
}

/** Apply the patches to text; returns the new text or throws PatchError naming the pattern. */
export function applyPatches(file: string, text: string, patches: readonly LibPatch[] = LIB_PATCHES): string {
  let out = text;
  for (const p of patches.filter((q) => q.file === file)) {
    const first = out.indexOf(p.find);
    if (first < 0) throw new PatchError(`${file}: pattern not found (${p.why}):\n${p.find}`);
    if (out.indexOf(p.find, first + 1) >= 0) throw new PatchError(`${file}: pattern found more than once:\n${p.find}`);
    out = out.slice(0, first) + p.replace + out.slice(first + p.find.length);
  }
  return out;
}

const MARKER = '.sandbuild-patched';
const pending = new Map<string, Promise<string>>();

/** Prepare (once) and return the patched lib dir for this toolchain. */
export function preparePatchedLib(tc: Toolchain, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dest = path.join(cacheRoot(env), patchedLibKey(tc));
  let p = pending.get(dest);
  if (!p) {
    p = build(tc, dest);
    pending.set(dest, p);
  }
  return p;
}

async function build(tc: Toolchain, dest: string): Promise<string> {
  if (existsSync(path.join(dest, MARKER))) return dest;
  const tmp = `${dest}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    for (const entry of await readdir(tc.libDir)) {
      if (entry === 'std') continue;
      await symlink(path.join(tc.libDir, entry), path.join(tmp, entry));
    }
    await cp(path.join(tc.libDir, 'std'), path.join(tmp, 'std'), { recursive: true });
    for (const file of new Set(LIB_PATCHES.map((p) => p.file))) {
      const target = path.join(tmp, file);
      await writeFile(target, applyPatches(file, await readFile(target, 'utf8')));
    }
    await writeFile(path.join(tmp, MARKER), `${tc.version}\n${LIB_PATCHES.length} patches\n`);
    try {
      await rename(tmp, dest);
    } catch (e) {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(path.join(dest, MARKER))) throw e;
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return dest;
}
