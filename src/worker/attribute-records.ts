// Source attribution for a whole run (issue #6 item 4): each trace record with a guest stack gets the
// package and build.zig line that made it (src/attribution), for the trace panel's package filter, the
// selected record and the editor's "reveal build.zig:line".
//
// Cost (measured on c-exfiltrate and the 5,000-step stress package, see README.md): parsing the DWARF is
// the expensive part (~45 ms cold for the examples' 1.16 MB build.wasm), so one RecordAttributor lives per loaded package and
// parses on first use; after that a stack costs one Map lookup, because stacks repeat (c-exfiltrate: 17
// records, 12 stacks; stress-5000: 507 records, 213 stacks). Eager attribution of every record is cheap
// enough that no lazy worker call is needed.
//
// The records the app gets are shallow copies carrying `attribution`; the run's own records stay as they
// are, so the trace hash (summary.ts, shared with the step-through session) does not change.

import { createAttributor, type Attribution, type Attributor } from '../attribution/index.ts';
import { readPackageWasm } from '../audit/index.ts';
import type { MemFS } from '../wasi-vfs/fs.ts';
import type { TraceAttribution, TraceFrame, TraceRecord } from '../wasi-vfs/index.ts';
import { readManifest } from '../zig/zon.ts';

/** Label of the root package when build.zig.zon has no usable `.name`. */
export const ROOT_FALLBACK = '(root)';
/** Distinct stacks remembered; past it the cache starts over (a guest recursing to ever new depths). */
export const MAX_CACHED_STACKS = 50_000;
/** Longest root name taken from build.zig.zon (it is the package's own, untrusted, text). */
const MAX_NAME = 64;

/** The root package's name from its build.zig.zon, or ROOT_FALLBACK. Control characters are dropped. */
export function rootPackageName(fs: MemFS): string {
  const node = fs.root.entries.get('build.zig.zon');
  if (node?.kind !== 'file') return ROOT_FALLBACK;
  try {
    const name = readManifest(new TextDecoder().decode(node.data.view())).name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, MAX_NAME);
    return name === '' ? ROOT_FALLBACK : name;
  } catch {
    // An unparsable manifest is the package's problem; the label just falls back.
    return ROOT_FALLBACK;
  }
}

/** DWARF names a dependency's build.zig `./deps/<name>/build.zig` (src/zig/dwarf-paths.ts); the app wants package paths. */
const packagePath = (file: string): string => file.replace(/^(\.\/)+/, '');

/** src/attribution's answer as the plain record field ('' — the root package — becomes its name). */
export function toTraceAttribution(a: Attribution, rootName: string): TraceAttribution {
  const out: TraceAttribution = { via: a.via };
  if (a.package !== undefined) {
    out.package = a.package === '' ? rootName : a.package;
    if (a.package === '') out.root = true;
  }
  if (a.file !== undefined) out.file = packagePath(a.file);
  if (a.line !== undefined) out.line = a.line;
  if (a.column !== undefined) out.column = a.column;
  if (a.inlined) out.inlined = true;
  if (a.name !== undefined) out.name = a.name;
  return out;
}

/** Stacks repeat: the offsets name the instructions, so they name the attribution (func follows from offset). */
const stackKey = (stack: readonly TraceFrame[]): string => {
  let k = '';
  for (const f of stack) k += `${f.offset},`;
  return k;
};

export interface AttributionStats {
  /** Records with a stack that were looked up. */
  lookups: number;
  /** Distinct stacks attributed (cache misses). */
  distinct: number;
}

export class RecordAttributor {
  /** The underlying src/attribution attributor (shareable, e.g. with a step-through session on the same load). */
  readonly attributor: Attributor;
  private readonly cache = new Map<string, TraceAttribution | null>();
  readonly stats: AttributionStats = { lookups: 0, distinct: 0 };

  /** The DWARF is parsed on the first stack (createAttributor is lazy), not here. */
  constructor(
    wasm: Uint8Array,
    readonly rootName: string = ROOT_FALLBACK,
  ) {
    this.attributor = createAttributor(wasm);
  }

  /** The attribution of one stack (cached), or undefined when no frame is in a package's build.zig. */
  attribute(stack: readonly TraceFrame[]): TraceAttribution | undefined {
    this.stats.lookups++;
    const key = stackKey(stack);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    this.stats.distinct++;
    const a = this.attributor.attribute(stack);
    const v = a ? toTraceAttribution(a, this.rootName) : null;
    if (this.cache.size >= MAX_CACHED_STACKS) this.cache.clear();
    this.cache.set(key, v);
    return v ?? undefined;
  }

  /** The batch as sent to the app: records with an attributed stack become copies carrying `attribution`. */
  attributeBatch(batch: readonly TraceRecord[]): TraceRecord[] {
    return batch.map((r) => {
      if (!r.stack || r.stack.length === 0) return r;
      const attribution = this.attribute(r.stack);
      return attribution ? { ...r, attribution } : r;
    });
  }
}

const perPackage = new WeakMap<object, RecordAttributor>();

/**
 * The RecordAttributor of a loaded package (`pkg` is the worker's load record: a new object per load), made
 * on the first interp run from that run's fresh FS: the wasm override or the package's build.wasm.
 */
export function packageAttributor(pkg: { wasm: Uint8Array | undefined }, fs: MemFS): RecordAttributor {
  let a = perPackage.get(pkg);
  if (!a) {
    const override = pkg.wasm;
    // readPackageWasm copies the bytes, so the attributor holds no reference to this run's FS.
    a = new RecordAttributor(override ?? readPackageWasm(fs), rootPackageName(fs));
    perPackage.set(pkg, a);
  }
  return a;
}
