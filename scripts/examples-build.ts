// Rebuild every example package's .sandbuild/build.wasm with the graph runner and pack each package
// (sources + wasm) into public/examples/<name>.tar.gz for the app to serve.
//   npx tsx scripts/examples-build.ts [name...]        rebuild (all by default)
//   npx tsx scripts/examples-build.ts --check [name...] rebuild into a scratch dir and compare with the
//                                                        committed wasm; exit 1 on a mismatch
// Needs Zig (see src/zig/toolchain.ts).

import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRunner } from '../src/zig/compile.ts';
import { packDirectory, WASM_ENTRY } from '../src/zig/tarball.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');
export const TARBALL_DIR = path.join(ROOT, 'public', 'examples');

/** Example packages: directories of examples/ with a build.zig. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(EXAMPLES_DIR, d.name, 'build.zig')))
    .map((d) => d.name)
    .sort();
}

const SKIP = /(^|\/)(zig-out|\.zig-cache|zig-cache)(\/|$)/;

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const wanted = argv.filter((a) => !a.startsWith('--'));
  const names = wanted.length > 0 ? wanted : exampleNames();
  let failed = 0;
  await mkdir(TARBALL_DIR, { recursive: true });
  for (const name of names) {
    const dir = path.join(EXAMPLES_DIR, name);
    const committed = path.join(dir, WASM_ENTRY);
    if (check) {
      const scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-check-'));
      const r = await compileRunner({ packageDir: dir, outFile: path.join(scratch, 'build.wasm') });
      const same = existsSync(committed) && Buffer.compare(await readFile(r.outFile), await readFile(committed)) === 0;
      console.log(`${same ? 'ok  ' : 'DIFF'} ${name} (${r.bytes} bytes, ${(r.ms / 1000).toFixed(1)} s)`);
      if (!same) failed++;
      await rm(scratch, { recursive: true, force: true });
      continue;
    }
    const r = await compileRunner({ packageDir: dir, outFile: committed });
    const tgz = await packDirectory(dir, (rel) => SKIP.test(rel));
    await writeFile(path.join(TARBALL_DIR, `${name}.tar.gz`), tgz);
    console.log(`${name}: build.wasm ${r.bytes} bytes in ${(r.ms / 1000).toFixed(1)} s; tarball ${tgz.length} bytes`);
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
