// A small Monarch tokenizer for Zig (Monaco ships none): keywords, builtins (@import), types, strings
// (including \\ multiline lines), chars, numbers, comments. Enough to read a build.zig; no semantics.
// Keywords from the Zig 0.14 language reference ("Keyword Reference").

import type { languages } from 'monaco-editor/editor/editor.api';

export const ZIG_LANGUAGE_ID = 'zig';

export const zigConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: '//' },
  brackets: [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string'] },
  ],
};

export const zigLanguage: languages.IMonarchLanguage = {
  defaultToken: '',
  keywords: [
    'addrspace', 'align', 'allowzero', 'and', 'anyframe', 'anytype', 'asm', 'async', 'await', 'break',
    'callconv', 'catch', 'comptime', 'const', 'continue', 'defer', 'else', 'enum', 'errdefer', 'error',
    'export', 'extern', 'fn', 'for', 'if', 'inline', 'linksection', 'noalias', 'noinline', 'nosuspend',
    'opaque', 'or', 'orelse', 'packed', 'pub', 'resume', 'return', 'struct', 'suspend', 'switch', 'test',
    'threadlocal', 'try', 'union', 'unreachable', 'usingnamespace', 'var', 'volatile', 'while',
  ],
  constants: ['true', 'false', 'null', 'undefined'],
  typeKeywords: [
    'bool', 'void', 'noreturn', 'type', 'anyerror', 'anyopaque', 'comptime_int', 'comptime_float',
    'isize', 'usize', 'c_char', 'c_short', 'c_ushort', 'c_int', 'c_uint', 'c_long', 'c_ulong',
    'c_longlong', 'c_ulonglong', 'c_longdouble', 'f16', 'f32', 'f64', 'f80', 'f128',
  ],
  escapes: /\\(?:[nrt'"\\]|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\})/,
  tokenizer: {
    root: [
      [/\/\/.*$/, 'comment'],
      [/\\\\.*$/, 'string'],
      [/@[a-zA-Z_]\w*/, 'predefined'],
      [/@"/, { token: 'identifier', next: '@string' }],
      [/[iu]\d+\b/, 'type'],
      [/[a-zA-Z_]\w*/, { cases: { '@keywords': 'keyword', '@constants': 'constant', '@typeKeywords': 'type', '@default': 'identifier' } }],
      [/0x[0-9a-fA-F_]+(?:\.[0-9a-fA-F_]+)?(?:[pP][-+]?\d+)?/, 'number.hex'],
      [/0o[0-7_]+/, 'number.octal'],
      [/0b[01_]+/, 'number.binary'],
      [/\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][-+]?\d+)?/, 'number'],
      [/"/, { token: 'string.quote', next: '@string' }],
      [/'(?:@escapes|[^\\'])'/, 'string'],
      [/[{}()[\]]/, '@brackets'],
      [/[;,.]/, 'delimiter'],
    ],
    string: [
      [/[^\\"]+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/"/, { token: 'string.quote', next: '@pop' }],
    ],
  },
};
