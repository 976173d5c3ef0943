// `sandbuild compile <package dir | tarball> [--dep [NAME=]DIR|TARBALL]... [--out FILE]`
// A --dep without NAME= is matched to build.zig.zon by its package hash (pkg-hash.ts).
// Compiles the package's build.zig with the graph runner to wasm32-wasi and writes
// `.sandbuild/build.wasm` into the package; for a tarball, writes a new tarball that contains it
// (default `<name>.sandbuild.tar.gz` beside the input). Exit: 0 ok, 1 build.zig or dependency error, 2 usage.

import { existsSync, statSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileRunner, ZigCompileError } from '../zig/compile.ts';
import { DependencyError } from '../zig/deps.ts';
import { packageHash } from '../zig/pkg-hash.ts';
import { PatchError } from '../zig/patch-lib.ts';
import { repackWithWasm, TarballError, unpackTo, WASM_ENTRY } from '../zig/tarball.ts';
import { ToolchainError } from '../zig/toolchain.ts';

const USAGE = 'usage: sandbuild compile <package dir | tarball> [--dep [NAME=]DIR|TARBALL]... [--out FILE]';

/** Key prefix of --dep entries that are matched by hash (not a valid dependency name). */
const BY_HASH = '#by-hash:';

interface Args {
  input: string;
  deps: Map<string, string>;
  out?: string;
}

function parseArgs(argv: string[]): Args | string {
  const deps = new Map<string, string>();
  let input: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dep' || a === '--out') {
      const v = argv[++i];
      if (v === undefined) return `${a} needs a value`;
      if (a === '--out') out = v;
      else {
        const named = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(v);
        if (named) deps.set(named[1], named[2]);
        else deps.set(`${BY_HASH}${deps.size}`, v);
      }
    } else if (a === '-h' || a === '--help') return '';
    else if (a.startsWith('-')) return `unknown option '${a}'`;
    else if (input === undefined) input = a;
    else return `unexpected argument '${a}'`;
  }
  if (input === undefined) return 'missing package';
  return { input, deps, out };
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(0)} KiB`;
}

export async function compileCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(args ? `sandbuild compile: ${args}\n${USAGE}` : USAGE);
    return args ? 2 : 0;
  }
  if (!existsSync(args.input)) {
    console.error(`sandbuild compile: '${args.input}' does not exist`);
    return 2;
  }
  const scratch: string[] = [];
  try {
    // The package itself, unpacked when it is a tarball.
    let pkgDir = args.input;
    let original: Uint8Array | undefined;
    let rootPrefix = '';
    if (!statSync(args.input).isDirectory()) {
      original = new Uint8Array(await readFile(args.input));
      const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-pkg-'));
      scratch.push(dir);
      rootPrefix = (await unpackTo(original, dir)).rootPrefix;
      pkgDir = path.join(dir, rootPrefix);
    }

    // Dependencies given on the command line are copied into <package>/.sandbuild/deps/<name>: the
    // sandbox sees only the package, so they must live inside it (and travel in the output tarball).
    const extra = new Map<string, string>();
    for (const [key, where] of args.deps) {
      if (!existsSync(where)) throw new DependencyError(`--dep '${where}' does not exist`);
      let src = where;
      if (!statSync(where).isDirectory()) {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-dep-'));
        scratch.push(dir);
        src = path.join(dir, (await unpackTo(new Uint8Array(await readFile(where)), dir)).rootPrefix);
      }
      const name = key.startsWith(BY_HASH) ? packageHash(src) : key;
      const dest = path.join(pkgDir, '.sandbuild', 'deps', name);
      await rm(dest, { recursive: true, force: true });
      await cp(src, dest, { recursive: true });
      extra.set(name, dest);
    }

    if (original === undefined) {
      const outFile = args.out ?? path.join(args.input, WASM_ENTRY);
      const r = await compileRunner({ packageDir: args.input, outFile, extraDeps: extra });
      console.log(`wrote ${path.relative(process.cwd(), r.outFile) || r.outFile} (${kb(r.bytes)}, ${(r.ms / 1000).toFixed(1)} s)`);
      return 0;
    }

    const r = await compileRunner({ packageDir: pkgDir, outFile: path.join(pkgDir, WASM_ENTRY), extraDeps: extra });
    const wasm = new Uint8Array(await readFile(r.outFile));
    const base = path.basename(args.input).replace(/\.(tar\.gz|tgz|tar)$/, '');
    const outFile = args.out ?? path.join(path.dirname(args.input), `${base}.sandbuild.tar.gz`);
    await writeFile(outFile, await repackWithWasm(original, rootPrefix, wasm, path.join(pkgDir, '.sandbuild')));
    console.log(`wrote ${outFile} with ${WASM_ENTRY} (${kb(r.bytes)}, ${(r.ms / 1000).toFixed(1)} s)`);
    return 0;
  } catch (e) {
    if (e instanceof ZigCompileError) {
      // Zig's own diagnostics, exactly as printed.
      process.stderr.write(e.output.endsWith('\n') ? e.output : `${e.output}\n`);
      return 1;
    }
    if (e instanceof DependencyError || e instanceof TarballError) {
      console.error(`sandbuild compile: ${e.message}`);
      return 1;
    }
    if (e instanceof ToolchainError || e instanceof PatchError) {
      console.error(`sandbuild compile: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    for (const d of scratch) await rm(d, { recursive: true, force: true });
  }
}
