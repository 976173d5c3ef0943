// Node-only dev script (not part of the module): compile an example package's graph runner like
// `sandbuild compile` does (src/zig/compile.ts), but with its DWARF untouched, so attribution has a
// real fixture. Usage: npx tsx src/attribution/testdata/build-fixture.ts examples/e-vendored-deps out.wasm
//
// The args mirror compileRunner's and the same custom sections survive (KEPT_SECTIONS); the difference is
// that the DWARF is left as Zig wrote it: no path rewrite (dwarf-paths.ts), no .debug_info trim (dwarf-trim.ts).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { dependenciesSource, resolveDependencies } from '../../zig/deps.ts';
import { cacheRoot, preparePatchedLib } from '../../zig/patch-lib.ts';
import { findToolchain } from '../../zig/toolchain.ts';
import { RUNNER_SOURCE } from '../../zig/compile.ts';
import { KEPT_SECTIONS, keepCustomSections, listSections } from '../../zig/wasm-sections.ts';

const [pkgArg, outArg] = process.argv.slice(2);
if (!pkgArg || !outArg) throw new Error('usage: build-fixture.ts <package dir> <out.wasm>');
const pkg = path.resolve(pkgArg);
const tc = await findToolchain(process.env);
const wired = resolveDependencies(pkg, undefined);
const cache = cacheRoot(process.env);
const depsSrc = dependenciesSource(wired);
const genDir = path.join(cache, 'gen', createHash('sha256').update(depsSrc).digest('hex').slice(0, 16));
mkdirSync(genDir, { recursive: true });
const depsFile = path.join(genDir, 'dependencies.zig');
writeFileSync(depsFile, depsSrc);
const f = ['-target', 'wasm32-wasi', '-OReleaseSmall', '-fno-strip'];
const args = ['build-exe', '--zig-lib-dir', await preparePatchedLib(tc, process.env), '--name', 'build'];
args.push(...f, '--dep', '@build', '--dep', '@dependencies', `-Mroot=${RUNNER_SOURCE}`);
args.push(...f, '-M@build=build.zig');
const withZig = wired.packages.filter((p) => p.available && p.buildZig);
args.push(...f);
for (const p of withZig) args.push('--dep', p.key);
args.push(`-M@dependencies=${depsFile}`);
for (const p of withZig) args.push(...f, `-M${p.key}=${p.buildZig}`);
args.push('-lc');
const tmpDir = path.join(cache, `attr-fixture-${process.pid}`);
mkdirSync(tmpDir, { recursive: true });
const tmpOut = path.join(tmpDir, 'build.wasm');
args.push('--cache-dir', path.join(cache, 'zig-local'), '--global-cache-dir', path.join(cache, 'zig-global'), `-femit-bin=${tmpOut}`);
execFileSync(tc.exe, args, { cwd: pkg, stdio: 'inherit' });
const raw = new Uint8Array(readFileSync(tmpOut));
for (const s of listSections(raw)) if (s.id === 0) console.log(s.name, s.end - s.start);
const out = keepCustomSections(raw, KEPT_SECTIONS);
writeFileSync(outArg, out);
console.log(`wrote ${outArg}: ${out.length} bytes (raw ${raw.length})`);
