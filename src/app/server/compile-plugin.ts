// Vite dev-server plugin (Node side only): POST /__sandbuild/compile with a package tarball in the body
// compiles its build.zig with the project's compile pipeline (src/zig, the same code as
// `npx sandbuild compile`) and answers with the wasm, or 422 with Zig's diagnostics as printed. Only
// registered for `vite serve`; a static build has no such endpoint and the app says so.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Plugin } from 'vite';

export const COMPILE_PATH = '/__sandbuild/compile';
/** Upload cap: a package tarball, not a disk image. */
export const MAX_UPLOAD = 256 << 20;

function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`upload larger than ${max} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/** Compile one uploaded tarball; returns the wasm bytes or throws the pipeline's typed errors. */
export async function compileTarball(bytes: Uint8Array): Promise<{ wasm: Uint8Array; ms: number }> {
  // Imported lazily so the app's config loads even where the Zig pipeline is not needed.
  const { unpackTo, WASM_ENTRY } = await import('../../zig/tarball.ts');
  const { compileRunner } = await import('../../zig/compile.ts');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-dev-'));
  try {
    const { rootPrefix } = await unpackTo(bytes, dir);
    const pkg = path.join(dir, rootPrefix);
    const r = await compileRunner({ packageDir: pkg, outFile: path.join(pkg, WASM_ENTRY) });
    return { wasm: new Uint8Array(await readFile(r.outFile)), ms: r.ms };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function compilePlugin(): Plugin {
  return {
    name: 'sandbuild-compile',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use(COMPILE_PATH, (req, res) => {
        if (req.method !== 'POST') return json(res, 405, { message: 'POST a package tarball' });
        void (async () => {
          let bytes: Uint8Array;
          try {
            bytes = await readBody(req, MAX_UPLOAD);
          } catch (e) {
            return json(res, 413, { message: e instanceof Error ? e.message : String(e) });
          }
          try {
            const { wasm, ms } = await compileTarball(bytes);
            res.statusCode = 200;
            res.setHeader('content-type', 'application/wasm');
            res.setHeader('x-compile-ms', String(Math.round(ms)));
            res.end(Buffer.from(wasm));
          } catch (e) {
            const name = e instanceof Error ? e.name : '';
            if (name === 'ZigCompileError') {
              const output = (e as Error & { output: string }).output;
              return json(res, 422, { message: 'Zig could not compile this build.zig', output });
            }
            const known = ['DependencyError', 'TarballError', 'ToolchainError', 'PatchError'].includes(name);
            json(res, known ? 422 : 500, { message: e instanceof Error ? e.message : String(e), output: '' });
          }
        })();
      });
    },
  };
}
