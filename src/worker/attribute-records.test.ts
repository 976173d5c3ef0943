// Source attribution on the worker's run path: records the app gets carry the package and build.zig line
// (c-exfiltrate's denied id_rsa read → its build.zig, the readFileAlloc line), stacks are attributed once
// each, the run's own records (and so its trace hash) stay as they were, and native records get nothing.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attribution } from '../attribution/index.ts';
import { auditPolicy, loadPackageArchive, readPackageWasm, runAudit } from '../audit/index.ts';
import { loadPackage } from '../cli/package-loader.ts';
import { interpEngine } from '../interp/index.ts';
import { parsePolicy } from '../policy/index.ts';
import { createSession } from '../session/index.ts';
import { MemFS } from '../wasi-vfs/fs.ts';
import type { TraceRecord } from '../wasi-vfs/index.ts';
import { api } from './api.ts';
import { RecordAttributor, ROOT_FALLBACK, rootPackageName, toTraceAttribution } from './attribute-records.ts';
import { isDeniedRecord } from './denied.ts';
import { traceHashOf } from './summary.ts';
import type { EventBatch } from './types.ts';

const root = path.resolve(import.meta.dirname, '../..');
const archive = new Uint8Array(readFileSync(path.join(root, 'public/examples/c-exfiltrate.tar.gz')));
const SOURCE = readFileSync(path.join(root, 'examples/c-exfiltrate/build.zig'), 'utf8').split('\n');
const linesWith = (needle: string) => SOURCE.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
/** c-exfiltrate's build.zig.zon `.name`. */
const ROOT_NAME = /\.name\s*=\s*"([^"]+)"/.exec(readFileSync(path.join(root, 'examples/c-exfiltrate/build.zig.zon'), 'utf8'))![1];
const policy = auditPolicy();

async function runThroughWorker(engine: 'interp' | 'native') {
  const batches: EventBatch[] = [];
  const r = await api.run({ options: {}, policy, engine }, (b) => batches.push(b));
  if (!r.ok) throw new Error(r.error.message);
  return { summary: r.value, records: batches.flatMap((b) => b.trace) };
}

const isIdRsaRead = (r: TraceRecord) => r.fn === 'path_open' && r.args.path === 'root/.ssh/id_rsa';

describe('the worker run attributes interp records', () => {
  let interp: Awaited<ReturnType<typeof runThroughWorker>>;

  beforeAll(async () => {
    const loaded = await api.load(archive);
    expect(loaded.ok).toBe(true);
    interp = await runThroughWorker('interp');
  }, 120_000);

  it("attributes the denied $HOME/.ssh/id_rsa read to the root package's build.zig, at the readFileAlloc line", () => {
    const [readLine] = linesWith('readFileAlloc(');
    const rec = interp.records.find(isIdRsaRead);
    expect(rec && isDeniedRecord(rec)).toBe(true);
    expect(rec!.attribution).toEqual({ package: ROOT_NAME, root: true, file: 'build.zig', line: readLine, column: expect.any(Number), name: 'build.build', via: 'dwarf' });
    // The line the issue names.
    expect(readLine).toBe(22);
  });

  it('attributes every denied record to a build.zig line; records with no build.zig frame stay plain', () => {
    const denied = interp.records.filter(isDeniedRecord);
    expect(denied.length).toBe(interp.summary.syscallDenials);
    expect(denied.every((r) => r.attribution?.file === 'build.zig' && (r.attribution.line ?? 0) > 0)).toBe(true);
    // The runner's own calls (args, environment, printing the graph) are in no package's build.zig.
    const plain = interp.records.filter((r) => !r.attribution);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((r) => (r.stack?.length ?? 0) > 0)).toBe(true);
    expect(plain.some((r) => r.fn === 'args_get')).toBe(true);
  });

  it('leaves the trace hash alone: it is the hash of the records without their attribution', () => {
    const bare = interp.records.map(({ attribution: _, ...r }) => r);
    expect(traceHashOf(bare)).toBe(interp.summary.traceHash);
    expect(traceHashOf(interp.records)).not.toBe(interp.summary.traceHash);
  });

  it('and so a run and a step-through session of the same package agree on it (both capture stacks)', async () => {
    const st = createSession({ fs: await loadPackageArchive(archive), policy }).continueToEnd();
    expect(st.status).toBe('done');
    expect(interp.summary.traceHash).toBe(st.traceHash);
  }, 120_000);

  it('a native run has no stacks, so nothing is attributed', async () => {
    const native = await runThroughWorker('native');
    expect(native.records.length).toBe(interp.records.length);
    expect(native.records.some((r) => r.stack !== undefined || r.attribution !== undefined)).toBe(false);
  }, 120_000);
});

describe('RecordAttributor', () => {
  let wasm: Uint8Array;
  let trace: TraceRecord[];

  beforeAll(async () => {
    const fs = await loadPackageArchive(archive);
    wasm = readPackageWasm(fs);
    trace = runAudit({ fs, wasm, policy, engine: interpEngine, captureStack: true }).trace;
  }, 120_000);

  it('attributes each distinct stack once and answers repeats from the cache', () => {
    const a = new RecordAttributor(wasm, 'tiny');
    const distinct = new Set(trace.map((r) => r.stack!.map((f) => f.offset).join(','))).size;
    expect(distinct).toBeLessThan(trace.length); // stacks do repeat
    const first = a.attributeBatch(trace);
    expect(a.stats).toEqual({ lookups: trace.length, distinct });
    const again = a.attributeBatch(trace);
    expect(a.stats).toEqual({ lookups: 2 * trace.length, distinct });
    // The same answer, down to the object, for the same stack.
    expect(again.map((r) => r.attribution)).toEqual(first.map((r) => r.attribution));
    const twoReads = first.filter((r) => r.fn === 'path_open' && r.attribution?.line === linesWith('readFileAlloc(')[0]);
    expect(twoReads.length).toBeGreaterThan(1);
    expect(twoReads[0].attribution).toBe(twoReads[1].attribution);
  });

  it('returns copies: the run’s own records are not changed', () => {
    const a = new RecordAttributor(wasm, 'tiny');
    const out = a.attributeBatch(trace);
    expect(trace.some((r) => r.attribution !== undefined)).toBe(false);
    out.forEach((r, i) => expect(r === trace[i]).toBe(r.attribution === undefined));
    expect(out.map(({ attribution: _, ...r }) => r)).toEqual(trace);
  });

  it('passes records without a stack through untouched', () => {
    const a = new RecordAttributor(wasm);
    const bare: TraceRecord = { seq: 0, fn: 'fd_write', args: { fd: 1 }, errno: 'success' };
    const empty: TraceRecord = { ...bare, seq: 1, stack: [] };
    const out = a.attributeBatch([bare, empty]);
    expect(out[0]).toBe(bare);
    expect(out[1]).toBe(empty);
    expect(a.stats.lookups).toBe(0);
  });
});

describe('a dependency (src/attribution/testdata/snoop-pkg: deps/snoop reads $HOME/.ssh/id_rsa)', () => {
  const pkgDir = path.join(root, 'src/attribution/testdata/snoop-pkg');
  const lineOf = (file: string, needle: string) => readFileSync(path.join(pkgDir, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
  // The script reads $HOME only when the policy lets it see HOME.
  const homePolicy = parsePolicy({ ...policy, env: { allow: ['HOME'] } });

  it("labels the dependency by its folder and the root by build.zig.zon's name", async () => {
    const wasm = gunzipSync(new Uint8Array(readFileSync(path.join(root, 'src/attribution/testdata/snoop.wasm.gz'))));
    const { fs } = await loadPackage(pkgDir, homePolicy);
    const a = new RecordAttributor(wasm, rootPackageName(fs));
    expect(a.rootName).toBe('snoop-app');
    const trace = a.attributeBatch(runAudit({ fs, policy: homePolicy, engine: interpEngine, wasm, captureStack: true, env: { HOME: '/home/u' } }).trace);
    const snoop = trace.find((r) => r.fn === 'path_open' && r.args.path === 'home/u/.ssh/id_rsa')!.attribution!;
    expect(snoop).toMatchObject({ package: 'snoop', line: lineOf('deps/snoop/build.zig', 'readFileAlloc'), via: 'dwarf' });
    expect(snoop.root).toBeUndefined();
    // This fixture predates the path rewrite (src/zig/dwarf-paths.ts), so its dependency path is absolute.
    expect(snoop.file!.endsWith('deps/snoop/build.zig')).toBe(true);
    const dep = trace.find((r) => r.fn === 'path_open' && r.args.path === 'deps/snoop')!.attribution!;
    expect(dep).toMatchObject({ package: 'snoop-app', root: true, file: 'build.zig', line: lineOf('build.zig', 'b.dependency("snoop"'), inlined: true });
  }, 120_000);
});

describe('labels', () => {
  const at = (x: Partial<Attribution>): Attribution => ({ frameIndex: 3, func: 7, offset: 100, via: 'dwarf', ...x });

  it("names the root package ('' in src/attribution) and keeps a dependency's folder name", () => {
    expect(toTraceAttribution(at({ package: '', file: 'build.zig', line: 22, column: 5, name: 'build.build' }), 'tiny')).toEqual({
      package: 'tiny', root: true, file: 'build.zig', line: 22, column: 5, name: 'build.build', via: 'dwarf',
    });
    expect(toTraceAttribution(at({ package: 'alpha', file: './deps/alpha/build.zig', line: 4, inlined: true }), 'tiny')).toEqual({
      package: 'alpha', file: 'deps/alpha/build.zig', line: 4, inlined: true, via: 'dwarf',
    });
  });

  it('a name-section answer has no package and no line', () => {
    expect(toTraceAttribution(at({ via: 'name', name: 'build.checkData' }), 'tiny')).toEqual({ name: 'build.checkData', via: 'name' });
  });

  it("reads the root name from build.zig.zon, else falls back to '(root)'", () => {
    const fsWith = (zon?: string) => {
      const fs = new MemFS();
      if (zon !== undefined) fs.createFile(fs.root, 'build.zig.zon', new TextEncoder().encode(zon));
      return fs;
    };
    expect(rootPackageName(fsWith('.{ .name = "tiny", .version = "1.0.3" }'))).toBe('tiny');
    expect(rootPackageName(fsWith('.{ .name = .enum_name }'))).toBe('enum_name');
    expect(rootPackageName(fsWith('.{ .name = "a\\x00b\\n" }'))).toBe('ab');
    expect(rootPackageName(fsWith('.{ .version = "1" }'))).toBe(ROOT_FALLBACK);
    expect(rootPackageName(fsWith('not zon'))).toBe(ROOT_FALLBACK);
    expect(rootPackageName(fsWith())).toBe(ROOT_FALLBACK);
  });
});
