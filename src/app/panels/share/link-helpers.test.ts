import { describe, expect, it } from 'vitest';
import { isLinkFragment, linkableSource, nameFromUrl } from './link-helpers.ts';

describe('share link helpers', () => {
  it('isLinkFragment: our fragments (even broken ones, to report them), not other hashes', () => {
    expect(isLinkFragment('#v=1&pkg=x|y&policy=a&engine=interp')).toBe(true);
    expect(isLinkFragment('#v=2')).toBe(true);
    expect(isLinkFragment('#pkg=x')).toBe(true);
    expect(isLinkFragment('#engine=interp&pkg=x')).toBe(true);
    expect(isLinkFragment('')).toBe(false);
    expect(isLinkFragment('#')).toBe(false);
    expect(isLinkFragment('#section-2')).toBe(false);
    expect(isLinkFragment('#vpkg')).toBe(false);
  });

  it('linkableSource: gallery paths and https URLs', () => {
    expect(linkableSource('examples/c-exfiltrate.tar.gz')).toBe(true);
    expect(linkableSource('https://example.org/p.tgz')).toBe(true);
    expect(linkableSource(null)).toBe(false);
    expect(linkableSource('http://example.org/p.tgz')).toBe(false);
    expect(linkableSource('blob:http://127.0.0.1/abc')).toBe(false);
    expect(linkableSource('../p.tgz')).toBe(false);
  });

  it('nameFromUrl: the last segment, decoded', () => {
    expect(nameFromUrl('examples/c-exfiltrate.tar.gz')).toBe('c-exfiltrate.tar.gz');
    expect(nameFromUrl('https://example.org/a/my%20pkg.tgz?x=1#y')).toBe('my pkg.tgz');
    expect(nameFromUrl('https://example.org/a/%E0%A4.tgz')).toBe('%E0%A4.tgz');
    expect(nameFromUrl('https://example.org/')).toBe('linked package');
  });
});
