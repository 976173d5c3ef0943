import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildManifest, readmeDescriptions } from './samples-plugin.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('samples manifest', () => {
  it('reads the README table, including rows naming several packages', () => {
    const m = readmeDescriptions('| package | what |\n| --- | --- |\n| `a` | A **bold** `x`. |\n| `g-v1`, `g-v2` | pair |\n');
    expect(m.get('a')).toBe('A bold x.');
    expect(m.get('g-v1')).toBe('pair');
    expect(m.get('g-v2')).toBe('pair');
  });

  it('lists every example tarball with its README line', () => {
    const list = buildManifest(root);
    const ex = list.filter((s) => s.file.startsWith('examples/'));
    expect(ex.length).toBeGreaterThanOrEqual(7);
    const c = ex.find((s) => s.name === 'c-exfiltrate')!;
    expect(c.description).toMatch(/Malicious/);
    expect(c.bytes).toBeGreaterThan(0);
  });
});
