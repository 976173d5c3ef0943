// Zig's package hash (what build.zig.zon's `.hash` holds, as printed by `zig fetch` in 0.14-dev):
// for every included regular file, sorted by '/'-separated path, sha256(path ‖ 0x00 ‖ executable-bit ‖
// contents); the package hash is sha256 over those digests in order, written as the multihash
// "1220" (sha2-256, 32 bytes) + hex. Included files are those under the manifest's `.paths` (all when a
// path is "" or there is no manifest). Checked against `zig fetch` in pkg-hash.test.ts. Node-only.

import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseZon } from './zon.ts';

const MULTIHASH_SHA256 = '1220';

/** `.paths` of build.zig.zon, or [''] (everything) when absent. */
export function manifestPaths(dir: string): string[] {
  const zon = path.join(dir, 'build.zig.zon');
  if (!existsSync(zon)) return [''];
  const v = parseZon(readFileSync(zon, 'utf8'));
  if (v.type !== 'struct') return [''];
  const p = v.fields.get('paths');
  if (!p || p.type !== 'tuple') return [''];
  return p.items.flatMap((i) => (i.type === 'string' ? [i.value.replace(/\/+$/, '')] : []));
}

function included(rel: string, paths: string[]): boolean {
  return paths.some((p) => p === '' || rel === p || rel.startsWith(`${p}/`));
}

export function packageHash(dir: string, paths: string[] = manifestPaths(dir)): string {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile() && included(r, paths)) files.push(r);
    }
  };
  walk('');
  // Zig sorts by path bytes; for these names (UTF-8) code-unit order of JS strings agrees except for
  // astral characters, which package paths do not use in practice.
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const outer = createHash('sha256');
  for (const r of files) {
    const abs = path.join(dir, r);
    const exec = (lstatSync(abs).mode & 0o100) !== 0 ? 1 : 0;
    outer.update(createHash('sha256').update(r).update(Buffer.from([0, exec])).update(readFileSync(abs)).digest());
  }
  return MULTIHASH_SHA256 + outer.digest('hex');
}
