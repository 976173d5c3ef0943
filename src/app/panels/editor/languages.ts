// Which Monaco language shows a package file. Zig (and build.zig.zon, which is Zig syntax) uses our small
// Monarch tokenizer (zig-language.ts): Monaco has none. The other ids are Monaco's basic languages that
// monaco.ts registers; anything else is plain text.

/** Language ids monaco.ts must register (the Files pane never asks for another). */
export const FILE_LANGUAGES = ['zig', 'json', 'markdown', 'c', 'cpp', 'shell', 'ini', 'yaml', 'html', 'css', 'javascript', 'typescript', 'python', 'xml', 'plaintext'] as const;
export type FileLanguage = (typeof FILE_LANGUAGES)[number];

const BY_EXTENSION: Record<string, FileLanguage> = {
  zig: 'zig',
  zon: 'zig',
  json: 'json',
  md: 'markdown',
  markdown: 'markdown',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  sh: 'shell',
  bash: 'shell',
  ini: 'ini',
  toml: 'ini',
  cfg: 'ini',
  yml: 'yaml',
  yaml: 'yaml',
  html: 'html',
  htm: 'html',
  css: 'css',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  py: 'python',
  xml: 'xml',
  svg: 'xml',
};

const BY_NAME: Record<string, FileLanguage> = {
  'build.zig.zon': 'zig',
  Makefile: 'shell',
  '.gitignore': 'ini',
};

/** The Monaco language for a path (by file name, then extension, case-insensitive); else plaintext. */
export function languageOf(path: string): FileLanguage {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const byName = BY_NAME[name];
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'plaintext';
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? 'plaintext';
}
