import { describe, expect, it } from 'vitest';
import { parseZon, readManifest, ZonError } from './zon.ts';

const MANIFEST = `// comment
.{
    .name = "app",
    .version = "0.1.0",
    .minimum_zig_version = "0.14.0",
    .dependencies = .{
        .@"left-pad" = .{ .path = "deps/left-pad" },
        .net = .{
            .url = "https://example.com/net.tar.gz",
            .hash = "1220abcdef",
            .lazy = true,
        },
    },
    .paths = .{ "build.zig", "build.zig.zon", "src" },
}
`;

describe('zon', () => {
  it('reads name, version and both kinds of dependency', () => {
    const m = readManifest(MANIFEST);
    expect(m.name).toBe('app');
    expect(m.version).toBe('0.1.0');
    expect(m.dependencies).toEqual([
      { name: 'left-pad', path: 'deps/left-pad', url: undefined, hash: undefined, lazy: false },
      { name: 'net', path: undefined, url: 'https://example.com/net.tar.gz', hash: '1220abcdef', lazy: true },
    ]);
  });

  it('parses tuples, escapes, multiline strings, enum literals and numbers', () => {
    const v = parseZon('.{ .a = .{ "x\\n\\u{41}", 0x1F, .tag }, .b =\n  \\\\line1\n  \\\\line2\n, .c = .{} }');
    expect(v.type).toBe('struct');
    if (v.type !== 'struct') return;
    const a = v.fields.get('a');
    expect(a).toEqual({ type: 'tuple', items: [{ type: 'string', value: 'x\nA' }, { type: 'number', text: '0x1F' }, { type: 'enum', name: 'tag' }] });
    expect(v.fields.get('b')).toEqual({ type: 'string', value: 'line1\nline2' });
    expect(v.fields.get('c')).toEqual({ type: 'struct', fields: new Map() });
  });

  it('accepts an enum-literal package name (newer manifests)', () => {
    expect(readManifest('.{ .name = .app, .version = "1.0.0" }').name).toBe('app');
  });

  it('reports errors with line and column as ZonError', () => {
    expect(() => parseZon('.{ .a = "x }')).toThrow(ZonError);
    expect(() => parseZon('.{ .a = 1 } extra')).toThrow(/1:13: trailing text/);
    expect(() => parseZon('.{ .a = 1, .a = 2 }')).toThrow(/duplicate field 'a'/);
    expect(() => readManifest('.{ .version = "1" }')).toThrow(/missing .name/);
  });
});
