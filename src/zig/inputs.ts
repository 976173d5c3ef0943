// What a build.wasm was made from, recorded beside it as `.sandbuild/inputs.json`, so a stale wasm (sources
// or runner edited, not recompiled) is caught without a Zig toolchain: recompute and compare. Digests are
// SHA-256 over sorted (relative path, NUL, bytes, NUL) entries. Node-only.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LIB_PATCHES } from './patch-lib.ts';

export const INPUTS_FILE = 'inputs.json';

export interface BuildInputs {
  /** The package's files (without .sandbuild/, zig-out/, .zig-cache/). */
  package: string;
  /** guest/*.zig: the graph runner. */
  runner: string;
  /** The std patch list of patch-lib.ts. */
  patches: string;
  zig_version: string;
}

const SKIP = new Set(['.sandbuild', 'zig-out', '.zig-cache', 'zig-cache']);

export function treeDigest(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      if (SKIP.has(name)) continue;
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile()) h.update(r).update('\0').update(readFileSync(path.join(dir, r))).update('\0');
    }
  };
  walk('');
  return h.digest('hex');
}

export function currentInputs(packageDir: string, guestDir: string, zigVersion: string): BuildInputs {
  return {
    package: treeDigest(packageDir),
    runner: treeDigest(guestDir),
    patches: createHash('sha256').update(JSON.stringify(LIB_PATCHES)).digest('hex'),
    zig_version: zigVersion,
  };
}

/** Names of the inputs that differ (zig_version is compared only when `zigVersion` is given). */
export function staleInputs(recorded: BuildInputs, packageDir: string, guestDir: string, zigVersion?: string): string[] {
  const now = currentInputs(packageDir, guestDir, zigVersion ?? recorded.zig_version);
  return (Object.keys(now) as (keyof BuildInputs)[]).filter((k) => now[k] !== recorded[k]);
}
