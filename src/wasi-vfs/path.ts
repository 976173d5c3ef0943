// Path resolution that cannot escape, as WebAssembly/wasi-filesystem path-resolution.md describes it:
// - a path is resolved relative to a base directory (an fd), one component at a time;
// - absolute paths are refused; `..` pops a stack of the directories visited from the base and may never
//   pop the base itself, so resolution never steps outside, "not even temporarily" ("../../x/here" fails
//   even if it would land back inside, since it would leak what exists outside);
// - symlinks are expanded in place (their components pushed in front of the rest), resolved against the
//   same stack, with a budget of MAX_SYMLINK_EXPANSIONS; an absolute target fails at access time;
// - trailing slashes follow POSIX pathname resolution (path_resolution(7)), as the testsuite's
//   *_trailing_slashes tests expect: the final object must be a directory, and a final symlink is followed.
// Escapes answer `perm` ("not-permitted" in wasi-filesystem; wasmtime's errno, and what the testsuite's
// interesting_paths expects).
// Every failure after the text checks is a `ResolveError` saying how far resolution got (`at` + `rest`), so a
// syscall can ask the policy about the requested path before reporting whether it exists, and record an
// escape's decision itself (syscalls-path.ts, `locate`).

import { E, WasiErrno } from './constants.ts';
import type { DirNode, Node } from './fs.ts';

/** Linux's MAXSYMLINKS. */
export const MAX_SYMLINK_EXPANSIONS = 40;
/** Linux PATH_MAX, in UTF-8 bytes including the terminating NUL. */
export const PATH_MAX = 4096;
/** Linux NAME_MAX, in UTF-8 bytes. */
export const NAME_MAX = 255;

export interface Resolved {
  /** Directory holding the final component (for '.'/'..' results: the directory itself). */
  parent: DirNode;
  /** The final component as written (after symlink expansion); '.' when the path names a directory itself. */
  name: string;
  /** The object found, or undefined when only the final component is missing. */
  node: Node | undefined;
  /** The path ended in '/' (or '/.'), which demands a directory. */
  trailingSlash: boolean;
}

const utf8 = new TextEncoder();

/**
 * Resolution stopped before reaching an object: a missing or non-directory component (`noent`, `notdir`), a
 * symlink loop (`loop`), or an escape (`perm`). `at` is the directory it had reached and `rest` the
 * components still to resolve there (after symlink expansion), so `at` + `rest` is where the guest was
 * going. For an escape, `rest` starts with the `..` that would leave the base (`at` is the base), or
 * `absolute` is set and `rest` is the absolute path's components.
 */
export class ResolveError extends WasiErrno {
  constructor(
    errno: number,
    readonly at: DirNode,
    readonly rest: readonly string[],
    readonly escape: boolean = false,
    readonly absolute: boolean = false,
  ) {
    super(errno);
    this.name = 'ResolveError';
  }
}

/** Reject malformed path text before any lookup; an absolute path is an escape from `base`. */
export function checkPathText(path: string, base?: DirNode): void {
  if (path.includes('\0')) throw new WasiErrno(E.inval);
  if (path.length === 0) throw new WasiErrno(E.noent);
  if (utf8.encode(path).length >= PATH_MAX) throw new WasiErrno(E.nametoolong);
  if (path.startsWith('/')) {
    if (!base) throw new WasiErrno(E.perm);
    throw new ResolveError(E.perm, base, path.split('/').filter((c) => c !== ''), true, true);
  }
}

function splitComponents(path: string): string[] {
  const parts = path.split('/').filter((c) => c !== '');
  for (const c of parts) if (utf8.encode(c).length > NAME_MAX) throw new WasiErrno(E.nametoolong);
  return parts;
}

/**
 * Resolve `path` under `base`. `followFinal` follows a symlink in the last position (lookupflags
 * symlink_follow); intermediate symlinks are always followed. A trailing slash also forces following.
 * Throws ResolveError: noent (missing intermediate), notdir, loop, perm (escape or absolute); and a plain
 * WasiErrno for malformed text (inval, nametoolong, noent for an empty path).
 */
export function resolve(base: DirNode, path: string, followFinal: boolean): Resolved {
  checkPathText(path, base);
  let trailingSlash = path.endsWith('/');
  const stack: DirNode[] = [base];
  const pending = splitComponents(path);
  let budget = MAX_SYMLINK_EXPANSIONS;
  if (pending.length === 0) return { parent: base, name: '.', node: base, trailingSlash: true };
  for (;;) {
    const c = pending.shift() as string;
    const last = pending.length === 0;
    const cur = stack[stack.length - 1];
    if (c === '.' || c === '..') {
      if (c === '..') {
        if (stack.length === 1) throw new ResolveError(E.perm, base, [c, ...pending], true);
        stack.pop();
      }
      if (last) {
        const dir = stack[stack.length - 1];
        return { parent: dir, name: c, node: dir, trailingSlash: true };
      }
      continue;
    }
    if (!cur.linked && last) return { parent: cur, name: c, node: undefined, trailingSlash };
    const child = cur.entries.get(c);
    if (!child) {
      if (last) return { parent: cur, name: c, node: undefined, trailingSlash };
      throw new ResolveError(E.noent, cur, [c, ...pending]);
    }
    if (child.kind === 'symlink' && (!last || followFinal || trailingSlash)) {
      if (--budget < 0) throw new ResolveError(E.loop, cur, [c, ...pending]);
      const target = child.target;
      if (target.startsWith('/')) throw new ResolveError(E.perm, cur, [...splitComponents(target), ...pending], true, true);
      if (target.length === 0) throw new ResolveError(E.noent, cur, [c, ...pending]);
      const parts = splitComponents(target);
      if (last && target.endsWith('/')) trailingSlash = true;
      if (parts.length === 0) parts.push('.');
      pending.unshift(...parts);
      continue;
    }
    if (last) {
      if (trailingSlash && child.kind === 'file') throw new ResolveError(E.notdir, cur, [c]);
      return { parent: cur, name: c, node: child, trailingSlash };
    }
    if (child.kind !== 'dir') throw new ResolveError(E.notdir, cur, [c, ...pending]);
    stack.push(child);
  }
}

/** True for the names that denote a directory itself rather than an entry in it. */
export function isDotName(name: string): boolean {
  return name === '.' || name === '..';
}
