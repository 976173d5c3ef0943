// The trace's "package" filter (issue #6 item 4): which package's build.zig made each syscall, from the
// attribution the worker puts on interp records (src/worker/attribute-records.ts). Every record falls in
// exactly one bucket, so the counts in the filter add up to the trace:
//   the root package · each dependency (by folder name) · "a build.zig" (names only, no DWARF) ·
//   "no build.zig frame" (the runner, libc, Zig's std) · "no stack" (the native engine records none).
// Keys are prefixed so a dependency can never collide with a bucket or with the root.

import type { TraceAttribution, TraceRecord } from '../../../wasi-vfs/index.ts';

export const KEY_ROOT = 'root';
export const KEY_SOME_BUILD_ZIG = 'build.zig';
export const KEY_NONE = 'none';
export const KEY_NO_STACK = 'no-stack';
const DEP = 'dep:';

/** The filter bucket of a record. */
export function packageKey(r: TraceRecord): string {
  const a = r.attribution;
  if (a) {
    if (a.package === undefined) return KEY_SOME_BUILD_ZIG;
    return a.root ? KEY_ROOT : DEP + a.package;
  }
  return r.stack && r.stack.length > 0 ? KEY_NONE : KEY_NO_STACK;
}

function labelOf(key: string, r: TraceRecord): string {
  if (key === KEY_ROOT) return `${r.attribution?.package ?? ''} (root)`;
  if (key.startsWith(DEP)) return key.slice(DEP.length);
  if (key === KEY_SOME_BUILD_ZIG) return 'a build.zig (no DWARF: package unknown)';
  if (key === KEY_NONE) return 'no build.zig frame';
  return 'no stack (native engine)';
}

/** Order in the select: the root, the dependencies by name, then the buckets that name no package. */
function rank(key: string): number {
  if (key === KEY_ROOT) return 0;
  if (key.startsWith(DEP)) return 1;
  return [KEY_SOME_BUILD_ZIG, KEY_NONE, KEY_NO_STACK].indexOf(key) + 2;
}

export interface PackageBucket {
  key: string;
  label: string;
  count: number;
}

/** Records per bucket, kept up to date by TraceIndex on append, truncate and clear. */
export class PackageCounts {
  private readonly buckets = new Map<string, PackageBucket>();

  add(r: TraceRecord): void {
    const key = packageKey(r);
    const b = this.buckets.get(key);
    if (b) b.count++;
    else this.buckets.set(key, { key, label: labelOf(key, r), count: 1 });
  }

  remove(r: TraceRecord): void {
    const key = packageKey(r);
    const b = this.buckets.get(key);
    if (!b) return;
    if (--b.count <= 0) this.buckets.delete(key);
  }

  clear(): void {
    this.buckets.clear();
  }

  get(key: string): number {
    return this.buckets.get(key)?.count ?? 0;
  }

  /** Copies, ordered for the select. */
  list(): PackageBucket[] {
    return [...this.buckets.values()].map((b) => ({ ...b })).sort((a, b) => rank(a.key) - rank(b.key) || a.label.localeCompare(b.label));
  }
}

/** `build.zig:22 (tiny)`; `a build.zig: build.checkData` with names only. Plain text for text bindings. */
export function attributionText(a: TraceAttribution): string {
  if (a.file === undefined || a.line === undefined) return a.name !== undefined ? `a build.zig: ${a.name}` : 'a build.zig';
  return `${a.file}:${a.line}${a.package !== undefined ? ` (${a.package})` : ''}`;
}

/** What the selected record's aside says about where the call came from. */
export function attributionDetail(r: TraceRecord, engine: string | undefined): string {
  const a = r.attribution;
  if (a) {
    const where = a.file !== undefined && a.line !== undefined ? `${a.file}:${a.line}` : 'a build.zig';
    const who = a.package === undefined ? 'package unknown (no DWARF line info)' : a.root ? `${a.package} (root package)` : `dependency ${a.package}`;
    const extra = [a.name !== undefined ? `in ${a.name}` : '', a.column !== undefined ? `column ${a.column}` : '', a.inlined ? 'inlined call site' : ''].filter((x) => x !== '');
    return [where, who, ...extra].join(' · ');
  }
  if (r.stack && r.stack.length > 0) return "not made in a package's build.zig (the runner, libc or Zig's std)";
  return engine === 'native' ? 'no stack on native: run on the interpreter to see which build.zig line made it' : 'no stack recorded';
}
