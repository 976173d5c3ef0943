// Attribution on a committed example: `sandbuild compile` keeps the DWARF line tables and inline call sites
// in .sandbuild/build.wasm (src/zig/wasm-sections.ts KEPT_SECTIONS), so a denied syscall in
// examples/c-exfiltrate maps to the build.zig line that made it, not only to "some build.zig".

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPolicy } from '../audit/default-policy.ts';
import { denyingDecision } from '../audit/denials.ts';
import { runAudit, type AuditResult } from '../audit/run-audit.ts';
import { loadPackage } from '../cli/package-loader.ts';
import { interpEngine } from '../interp/index.ts';
import { createAttributor } from './attribute.ts';

const PKG = path.resolve(import.meta.dirname, '../../examples/c-exfiltrate');
const SOURCE = readFileSync(path.join(PKG, 'build.zig'), 'utf8').split('\n');
/** 1-based lines of build.zig that contain `needle`. */
const linesWith = (needle: string) => SOURCE.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));

describe('examples/c-exfiltrate: the denied $HOME/.ssh/id_rsa read, attributed', () => {
  let wasm: Uint8Array;
  let result: AuditResult;

  beforeAll(async () => {
    const policy = auditPolicy();
    const { fs } = await loadPackage(PKG, policy);
    wasm = new Uint8Array(readFileSync(path.join(PKG, '.sandbuild/build.wasm')));
    // No environment is offered, so the script falls back to HOME=/root.
    result = runAudit({ fs, policy, engine: interpEngine, wasm, captureStack: true });
    expect(result.outcome).toEqual({ status: 'exit', code: 0 });
  }, 60_000);

  it('the committed build.wasm carries DWARF lines', () => {
    expect(createAttributor(wasm).hasDwarf).toBe(true);
  });

  it("names c-exfiltrate's build.zig and the line whose readFileAlloc made the read", () => {
    const denial = result.syscallDenials.find((d) => denyingDecision(d)?.guestPath === '/root/.ssh/id_rsa');
    expect(denial && denyingDecision(denial)).toMatchObject({ op: 'read', verdict: 'deny', rule: 'deny-host-paths' });
    const rec = result.trace.find((r) => r.fn === 'path_open' && r.args.path === 'root/.ssh/id_rsa' && r.errno === 'acces');
    expect(rec?.stack?.length).toBeGreaterThan(0);
    const at = createAttributor(wasm).attribute(rec!.stack!);
    // The root package's build.zig (compiled as `-M@build=build.zig` from the package dir).
    expect(at).toMatchObject({ package: '', file: 'build.zig', via: 'dwarf' });
    // The path is built on the `.ssh` line; the syscall happens in the loop that reads each target.
    const [sshLine] = linesWith('".ssh", "id_rsa"');
    const readLines = linesWith('readFileAlloc(');
    expect(readLines).toHaveLength(1);
    expect(sshLine).toBeLessThan(readLines[0]);
    expect(at!.line).toBe(readLines[0]);
  });

  it('attributes every denied syscall to a line of that build.zig (the reads and the two writes)', () => {
    const a = createAttributor(wasm);
    const denied = result.trace.filter((r) => r.decisions?.some((d) => d.verdict === 'deny'));
    expect(denied.length).toBe(result.syscallDenials.length);
    const lines = denied.map((r) => a.attribute(r.stack!)?.line);
    const [read] = linesWith('readFileAlloc(');
    const writes = linesWith('std.fs.cwd().writeFile(');
    expect(writes).toHaveLength(2);
    expect(lines).toEqual([read, read, read, read, ...writes]);
  });
});
