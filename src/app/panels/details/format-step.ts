// Plain-text renderings of a step's kind-specific data for the details panel (the graph schema in
// src/graph/schema.ts says what each field is). Strings only: the panel shows them through text bindings.

import type { Graph, LazyPath, RunArg, Step } from '../../../graph/index.ts';

export function stepName(g: Graph, id: number | null): string {
  if (id === null) return '(none)';
  const s = g.steps[id];
  return s ? s.name : `#${id}`;
}

export function formatLazyPath(g: Graph, p: LazyPath | null): string {
  if (p === null) return '(none)';
  if ('src' in p) return p.src;
  if ('host' in p) return `host: ${p.host}`;
  const by = p.generated_by === null ? 'generated' : `output of "${stepName(g, p.generated_by)}"`;
  const up = p.up > 0 ? `${'../'.repeat(p.up)}` : '';
  return p.sub_path || up ? `${by} / ${up}${p.sub_path}` : by;
}

export function formatRunArg(g: Graph, a: RunArg): string {
  if ('text' in a) return a.text;
  if ('artifact' in a) return `${a.prefix}<artifact "${stepName(g, a.artifact)}">`;
  if ('path' in a) return `${a.prefix}<${formatLazyPath(g, a.path)}>`;
  if ('dir' in a) return `${a.prefix}<dir ${formatLazyPath(g, a.dir)}>`;
  if ('output_file' in a) return `${a.prefix}<output file ${a.output_file}>`;
  return `${a.prefix}<output dir ${a.output_dir}>`;
}

/** Shell-like quoting for display only (so spaces and quotes inside one argument stay visible). */
export function quoteArg(s: string): string {
  return /^[\w@%+=:,./<>"-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export type Field = [label: string, value: string | string[]];

/** The fields an auditor reads for each kind, in order. */
export function stepFields(g: Graph, s: Step): Field[] {
  switch (s.kind) {
    case 'run': {
      const d = s.data;
      const f: Field[] = [
        ['command', d.command],
        ['argv', d.argv.map((a) => quoteArg(formatRunArg(g, a))).join(' ')],
      ];
      if (d.cwd) f.push(['cwd', formatLazyPath(g, d.cwd)]);
      if (d.env.length > 0) f.push(['env', d.env.map((e) => (e.value === null ? `unset ${e.name}` : `${e.name}=${e.value}`))]);
      f.push(['stdio', d.stdio], ['side effects', d.has_side_effects ? 'yes' : 'no']);
      return f;
    }
    case 'compile': {
      const d = s.data;
      const f: Field[] = [
        ['artifact', `${d.compile_kind} ${d.name}`],
        ['root source', formatLazyPath(g, d.root_source)],
        ['target', d.target ?? d.target_query ?? 'host'],
        ['optimize', d.optimize ?? 'default'],
      ];
      if (d.linkage) f.push(['linkage', d.linkage]);
      if (d.link_libc) f.push(['libc', 'linked']);
      if (d.system_libs.length > 0) f.push(['system libs', d.system_libs.map((l) => (l.pkg_config === 'no' ? l.name : `${l.name} (pkg-config: ${l.pkg_config})`))]);
      if (d.c_sources.length > 0) f.push(['C sources', d.c_sources.map((p) => formatLazyPath(g, p))]);
      if (d.include_dirs.length > 0) f.push(['include dirs', d.include_dirs.map((p) => (p === null || typeof p === 'number' ? `from "${stepName(g, p)}"` : formatLazyPath(g, p)))]);
      if (d.lib_paths.length > 0) f.push(['lib paths', d.lib_paths.map((p) => formatLazyPath(g, p))]);
      return f;
    }
    case 'install_artifact':
      return [['artifact', stepName(g, s.data.artifact)], ['dest', s.data.dest ?? 'default']];
    case 'install_file':
    case 'install_dir':
      return [['source', formatLazyPath(g, s.data.source)], ['dest', s.data.dest]];
    case 'write_file':
      return [
        ['files', s.data.files.map((f) => ('size' in f ? `${f.path} (${f.size} B)` : `${f.path} ← ${formatLazyPath(g, f.copy_of)}`))],
        ...(s.data.directories.length > 0 ? [['directories', s.data.directories.map((d) => `${d.path} ← ${formatLazyPath(g, d.source)}`)] as Field] : []),
      ];
    case 'top_level':
      return [['description', s.data.description]];
    case 'options':
      return [['options', s.data.names]];
    case 'update_source_files':
      return [['files', s.data.files]];
    case 'remove_dir':
      return [['path', formatLazyPath(g, s.data.path)]];
    case 'fail':
      return [['message', s.data.message]];
    case 'translate_c':
      return [['source', formatLazyPath(g, s.data.source)]];
    case 'config_header':
      return [['include path', s.data.include_path], ['values', s.data.values]];
    default:
      return [];
  }
}
