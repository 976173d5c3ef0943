import { describe, expect, it } from 'vitest';
import { optionFields } from './option-fields.ts';

describe('optionFields', () => {
  const opts = [
    { name: 'fetch-assets', type: 'bool', description: 'Download assets', value: null },
    { name: 'optimize', type: 'enum', description: 'Mode', choices: ['Debug', 'ReleaseFast'], value: null },
    { name: 'pack-url', type: 'string', description: 'URL', value: null },
  ];

  it('maps bools to tri-state, enums to choices and the rest to text', () => {
    const f = optionFields(opts, { 'fetch-assets': 'true', 'pack-url': 'https://x.test' });
    expect(f.map((x) => x.control)).toEqual(['bool', 'choice', 'text']);
    expect(f[0].value).toBe('true');
    expect(f[1]).toMatchObject({ choices: ['Debug', 'ReleaseFast'], value: '' });
    expect(f[2].value).toBe('https://x.test');
  });

  it('treats an unset option as the default', () => {
    expect(optionFields(opts, {}).every((x) => x.value === '')).toBe(true);
  });
});
