// "Which line of which package's build.zig made this syscall?" The guest runner imports every package's
// build.zig as a module of its own (src/zig/compile.ts: `-M@build=build.zig` for the root package, one
// `-M<key>=<abs path>/build.zig` per dependency), so a source file named build.zig outside the Zig lib
// tree is a package's build script, and the innermost stack frame whose line is in one names the package.
//
// With DWARF line info each frame gets file:line (the innermost inlined location at that instruction,
// which is all .debug_line says). Without it, only function names: Zig names functions by their file
// (`build.build`, `build.checkData`), so a `build.*` frame is *some* package's build.zig, package unknown.

import type { TraceFrame } from '../wasi-vfs/trace.ts';
import { sourceMap, type SourceLine, type SourceMap } from './locate.ts';

export interface PackageDir {
  /** Label to show ('' for the root package, else the dependency's name). */
  label: string;
  /** Directory holding that package's build.zig, as the compiler saw it (absolute, or '' for the root). */
  dir: string;
}

export interface AttributorOptions {
  /** Exact package directories (the app knows them from build.zig.zon); default: see packageOf. */
  packages?: PackageDir[];
}

export interface FrameSource extends TraceFrame {
  /** Where the instruction is (the innermost inlined location). */
  source?: SourceLine;
  /** Call sites of the functions inlined there, innermost first: the frames release builds folded away. */
  inlinedCallers?: SourceLine[];
}

export interface Attribution {
  /** '' for the root package, else the dependency's label; undefined when only names say "some build.zig". */
  package?: string;
  /** Index of the frame in the stack (innermost last). */
  frameIndex: number;
  func: number;
  name?: string;
  offset: number;
  file?: string;
  line?: number;
  column?: number;
  /** True when the line is the call site of an inlined function (from .debug_info), not the instruction's own. */
  inlined?: boolean;
  /** 'dwarf': from DWARF; 'name': from the name section only. */
  via: 'dwarf' | 'name';
}

export interface Attributor {
  readonly hasDwarf: boolean;
  locate(moduleOffset: number): SourceLine | undefined;
  frames(stack: readonly TraceFrame[]): FrameSource[];
  attribute(stack: readonly TraceFrame[]): Attribution | undefined;
}

const basename = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
const dirname = (p: string): string => {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? '' : p.slice(0, i);
};

/** Zig's own sources (std, the patched lib copy) also hold files named build.zig; they are not packages. */
function inZigLib(path: string): boolean {
  return /(^|[\\/])(std|lib[\\/]std|zig-lib[^\\/]*)[\\/]/.test(path);
}

/**
 * The package a source file belongs to, if it is a package's build.zig. Default labels: a relative
 * `build.zig` is the root package (the compiler ran in its directory); an absolute one is named by its
 * directory's basename (`…/deps/alpha/build.zig` → `alpha`), which is the dependency's folder name.
 */
export function packageOf(file: string, packages?: PackageDir[]): string | undefined {
  if (basename(file) !== 'build.zig' || inZigLib(file)) return undefined;
  const dir = dirname(file);
  if (packages) {
    const hit = packages.filter((p) => p.dir === dir).sort((a, b) => b.dir.length - a.dir.length)[0];
    if (hit) return hit.label;
  }
  if (dir === '' || dir === '.') return '';
  return basename(dir);
}

export function createAttributor(wasm: Uint8Array, opts: AttributorOptions = {}): Attributor {
  let map: SourceMap | undefined;
  const lines = () => (map ??= sourceMap(wasm));
  const frames = (stack: readonly TraceFrame[]): FrameSource[] =>
    stack.map((f) => {
      if (f.offset < 0) return { ...f };
      const source = lines().locate(f.offset);
      const inlinedCallers = lines().inlinedCallers(f.offset);
      return inlinedCallers.length > 0 ? { ...f, source, inlinedCallers } : { ...f, source };
    });
  return {
    get hasDwarf() {
      return lines().hasLines;
    },
    locate: (off) => lines().locate(off),
    frames,
    attribute(stack) {
      const fs = frames(stack);
      // Innermost frame first; inside a frame, the instruction's own line, then its inlined callers outwards.
      for (let i = fs.length - 1; i >= 0; i--) {
        const f = fs[i];
        const places = [...(f.source ? [{ at: f.source, inlined: false }] : []), ...(f.inlinedCallers ?? []).map((at) => ({ at, inlined: true }))];
        for (const { at, inlined } of places) {
          const pkg = packageOf(at.file, opts.packages);
          if (pkg === undefined) continue;
          return { package: pkg, frameIndex: i, func: f.func, name: f.name, offset: f.offset, file: at.file, line: at.line, column: at.column, inlined, via: 'dwarf' };
        }
      }
      // Fallback: the innermost frame Zig named after a build.zig (`build.<fn>`).
      for (let i = fs.length - 1; i >= 0; i--) {
        const f = fs[i];
        if (f.name?.startsWith('build.')) return { frameIndex: i, func: f.func, name: f.name, offset: f.offset, via: 'name' };
      }
      return undefined;
    },
  };
}
