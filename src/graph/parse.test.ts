import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphError, parseGraph, parseGraphText } from './parse.ts';

// Real output of guest/runner.zig (wasm32-wasi under node:wasi) for a small package with an exe that
// links libz, a run step and a `sh -c "curl … | sh"` system command, configured with -Dtarget=aarch64-macos.
const REAL = readFileSync(new URL('./testdata/runner-output.json', import.meta.url), 'utf8');

function base(): Record<string, unknown> & { steps: Record<string, unknown>[] } {
  return JSON.parse(REAL) as Record<string, unknown> & { steps: Record<string, unknown>[] };
}

function errorOf(data: unknown): GraphError {
  try {
    parseGraph(data);
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
  throw new Error('expected a GraphError');
}

describe('parseGraph', () => {
  it('accepts real runner output and types its steps', () => {
    const g = parseGraphText(REAL);
    expect(g.version).toBe(1);
    const run = g.steps.find((s) => s.kind === 'run' && s.data.command === 'system');
    expect(run?.caps.map((c) => c.kind)).toEqual(['exec', 'net']);
    const compile = g.steps.find((s) => s.kind === 'compile');
    expect(compile?.kind === 'compile' && compile.data.target).toBe('aarch64-macos-none');
  });

  it('names the JSON path of a wrongly typed field', () => {
    const g = base();
    (g.steps[2] as { deps: unknown }).deps = ['x'];
    expect(errorOf(g).path).toBe('$.steps[2].deps[0]');
  });

  it('rejects an unknown step kind and capability kind at their paths', () => {
    const g = base();
    g.steps[1].kind = 'rm_rf';
    expect(errorOf(g).path).toBe('$.steps[1].kind');
    const h = base();
    (h.steps[2].caps as { kind: string }[])[0].kind = 'root';
    expect(errorOf(h).path).toBe('$.steps[2].caps[0].kind');
  });

  it('rejects ids that are not the index, dangling references, self-deps and cycles', () => {
    const g = base();
    g.steps[1].id = 7;
    expect(errorOf(g).path).toBe('$.steps[1].id');
    const h = base();
    (h.steps[0].deps as number[]).push(999);
    expect(errorOf(h).message).toMatch(/^\$\.steps\[0\]\.deps\[1\]: refers to step 999/);
    const c = base();
    (c.steps[2].deps as number[]).push(0); // 0 → 1 → 2 → 0
    expect(errorOf(c).message).toMatch(/dependency cycle/);
    const sd = base();
    (sd.steps[3].deps as number[]).push(3);
    expect(errorOf(sd).path).toBe('$.steps[3].deps[0]');
  });

  it('rejects a newer format version with a clear message, and non-JSON', () => {
    const g = base();
    g.version = 2;
    expect(errorOf(g).message).toMatch(/graph format 2 is not supported/);
    expect(() => parseGraphText('{"version":1,')).toThrow(GraphError);
    expect(() => parseGraphText('null')).toThrow(GraphError);
  });

  it('drops unknown keys rather than passing them on (no __proto__ smuggling)', () => {
    const text = REAL.replace('"version": 1,', '"version": 1, "__proto__": {"polluted": true}, "extra": "<script>",');
    const g = parseGraphText(text) as unknown as Record<string, unknown>;
    expect(g.extra).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(g)).toBe(Object.prototype);
  });
});
