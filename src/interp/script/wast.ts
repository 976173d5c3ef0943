// .wast → wast2json-equivalent output (a JSON command list plus module files), in memory, using the npm
// `wabt` 1.0.39 build. Its JS wrapper exposes only parseWat/readWasm, but the module also exports the C
// helpers `_wabt_parse_wast` and `_wabt_write_binary_spec_script` (wabt src/emscripten-helpers.cc).
// Two things are missing from that build and are worked around here:
// - the heap is not exported: we capture the wasm memory by observing WebAssembly.instantiate while wabt
//   initialises (once per process);
// - the accessors for the script result (`wabt_write_script_result_*`) were not exported: we read the
//   WabtWriteScriptResult struct directly. Its wasm32 layout is
//     { i32 result; OutputBuffer* json; OutputBuffer* log; vector<pair<string, OutputBuffer*>> modules }
//   with libc++'s 12-byte std::string (short form: 11 chars, size in the low 7 bits of byte 11, long flag
//   in its high bit; long form: {char* data; u32 size; u32 cap}). A filename check guards the reading.

import type { WastCommand } from './commands.ts';

interface WabtRaw {
  parseWat(filename: string, buffer: string | Uint8Array, features?: Record<string, boolean>): {
    toBinary(o: object): { buffer: Uint8Array };
    destroy(): void;
  };
  FEATURES: Record<string, boolean>;
  _malloc(n: number): number;
  _free(p: number): void;
  writeAsciiToMemory(s: string, p: number): void;
  _wabt_new_errors(): number;
  _wabt_destroy_errors(p: number): void;
  _wabt_new_features(): number;
  _wabt_destroy_features(p: number): void;
  _wabt_new_wast_buffer_lexer(filename: number, data: number, size: number, errors: number): number;
  _wabt_destroy_wast_lexer(p: number): void;
  _wabt_parse_wast(lexer: number, features: number, errors: number): number;
  _wabt_parse_wast_result_get_result(p: number): number;
  _wabt_parse_wast_result_release_module(p: number): number;
  _wabt_write_binary_spec_script(script: number, src: number, out: number, log: number, canon: number,
    reloc: number, names: number): number;
  _wabt_format_text_errors(errors: number, lexer: number): number;
  _wabt_output_buffer_get_data(p: number): number;
  _wabt_output_buffer_get_size(p: number): number;
  _wabt_destroy_output_buffer(p: number): void;
  [key: string]: unknown;
}

/** The WebAssembly 2.0 feature set (plus the proposals it merged); wabt's flags by their names. */
export const WASM2_FEATURES: Record<string, boolean> = {
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
};

export interface ParsedScript {
  /** The source file name, as given. */
  filename: string;
  commands: WastCommand[];
  /** Module files named by the commands ("x.0.wasm" binaries, "x.1.wat" texts for quote modules). */
  files: Map<string, Uint8Array>;
}

export class WastParseError extends Error {
  override readonly name = 'WastParseError';
}

let loaded: Promise<{ w: WabtRaw; memory: WebAssembly.Memory }> | undefined;

const PROBE = 'sandbuild-wabt-heap-probe';

async function load(): Promise<{ w: WabtRaw; memory: WebAssembly.Memory }> {
  const original = WebAssembly.instantiate;
  const seen: WebAssembly.Memory[] = [];
  // Observe the instantiations during wabt's init to learn its memory (not exported otherwise).
  const spy = async function (this: unknown, ...a: Parameters<typeof WebAssembly.instantiate>) {
    const r = await (original as (...x: unknown[]) => Promise<unknown>).apply(this, a);
    const exports = ((r as { instance?: WebAssembly.Instance }).instance ?? (r as WebAssembly.Instance)).exports;
    for (const v of Object.values(exports)) if (v instanceof WebAssembly.Memory) seen.push(v);
    return r;
  };
  (WebAssembly as { instantiate: unknown }).instantiate = spy;
  let w: WabtRaw;
  try {
    const init = (await import('wabt')).default as unknown as () => Promise<WabtRaw>;
    w = await init();
  } finally {
    (WebAssembly as { instantiate: unknown }).instantiate = original;
  }
  // Someone else may have instantiated a module meanwhile: keep the memory where wabt's own write lands.
  const p = w._malloc(PROBE.length + 1);
  w.writeAsciiToMemory(PROBE, p);
  const memory = seen.find((m) => p + PROBE.length <= m.buffer.byteLength && new TextDecoder().decode(new Uint8Array(m.buffer, p, PROBE.length)) === PROBE);
  w._free(p);
  if (!memory) throw new WastParseError('could not reach the wabt heap (wabt build changed?)');
  return { w, memory };
}

function getWabt(): Promise<{ w: WabtRaw; memory: WebAssembly.Memory }> {
  return (loaded ??= load());
}

/** Compile one text-format module to a binary (used for quote modules and the spectest module). */
export async function watToBinary(text: string | Uint8Array, filename = 'module.wat'): Promise<Uint8Array> {
  const { w } = await getWabt();
  // parseWat writes a JS string as ASCII: pass UTF-8 bytes so non-ASCII names survive.
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const m = w.parseWat(filename, fresh(bytes), WASM2_FEATURES);
  try {
    return m.toBinary({}).buffer;
  } finally {
    m.destroy();
  }
}

/** A copy that owns its whole buffer (wabt's allocateBuffer copies `view.buffer.byteLength` bytes). */
function fresh(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
}

const RESULT_OK = 0;
const PAIR_SIZE = 16; // pair<std::string (12), OutputBuffer* (4)>
const STRING_SSO_SIZE_BYTE = 11;
const STRING_LONG_FLAG = 0x80;

/** Parse a .wast script: the in-memory equivalent of `wast2json --enable-all-2.0 file.wast`. */
export async function parseWast(source: Uint8Array | string, filename = 'script.wast'): Promise<ParsedScript> {
  const { w, memory } = await getWabt();
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const heap = () => new Uint8Array(memory.buffer);
  const view = () => new DataView(memory.buffer);
  const cstr = (s: string): number => {
    const b = new TextEncoder().encode(s);
    const p = w._malloc(b.length + 1);
    heap().set(b, p);
    heap()[p + b.length] = 0;
    return p;
  };
  const readOut = (ob: number): Uint8Array => {
    const p = w._wabt_output_buffer_get_data(ob);
    return heap().slice(p, p + w._wabt_output_buffer_get_size(ob));
  };
  const readString = (p: number): string => {
    const h = heap();
    const sizeByte = h[p + STRING_SSO_SIZE_BYTE];
    if (sizeByte & STRING_LONG_FLAG) {
      const dv = view();
      const data = dv.getUint32(p, true);
      return new TextDecoder().decode(h.slice(data, data + dv.getUint32(p + 4, true)));
    }
    return new TextDecoder().decode(h.slice(p, p + sizeByte));
  };

  const base = filename.replace(/^.*[\\/]/, '');
  const fname = cstr(base);
  const data = w._malloc(bytes.length + 1);
  heap().set(bytes, data);
  const errors = w._wabt_new_errors();
  const lexer = w._wabt_new_wast_buffer_lexer(fname, data, bytes.length, errors);
  const features = w._wabt_new_features();
  for (const [f, on] of Object.entries(WASM2_FEATURES)) (w[`_wabt_set_${f}_enabled`] as (p: number, v: number) => void)(features, on ? 1 : 0);
  try {
    const parsed = w._wabt_parse_wast(lexer, features, errors);
    if (w._wabt_parse_wast_result_get_result(parsed) !== RESULT_OK) {
      const ob = w._wabt_format_text_errors(errors, lexer);
      const msg = new TextDecoder().decode(readOut(ob));
      w._wabt_destroy_output_buffer(ob);
      throw new WastParseError(`${base}: wabt could not parse the script:\n${msg}`);
    }
    const script = w._wabt_parse_wast_result_release_module(parsed);
    // canonicalize_lebs=1 as wast2json does; the Script itself is leaked (no destroy is exported).
    const res = w._wabt_write_binary_spec_script(script, fname, fname, 0, 1, 0, 0);
    const dv = view();
    if (dv.getInt32(res, true) !== RESULT_OK) throw new WastParseError(`${base}: wabt could not write the script`);
    const jsonBuf = dv.getUint32(res + 4, true);
    const json = JSON.parse(new TextDecoder().decode(readOut(jsonBuf))) as { commands: WastCommand[] };
    w._wabt_destroy_output_buffer(jsonBuf);
    const files = new Map<string, Uint8Array>();
    const begin = dv.getUint32(res + 12, true), end = dv.getUint32(res + 16, true);
    for (let p = begin; p < end; p += PAIR_SIZE) {
      const name = readString(p);
      if (!/\.(wasm|wat)$/.test(name)) throw new WastParseError(`unexpected wabt result layout (file name "${name}")`);
      const ob = view().getUint32(p + 12, true);
      files.set(name, readOut(ob));
      w._wabt_destroy_output_buffer(ob);
    }
    return { filename: base, commands: json.commands, files };
  } finally {
    w._wabt_destroy_features(features);
    w._wabt_destroy_wast_lexer(lexer);
    w._wabt_destroy_errors(errors);
    w._free(data);
    w._free(fname);
  }
}
